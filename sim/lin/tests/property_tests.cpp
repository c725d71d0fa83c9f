// Properties over generated histories: a sequential execution of the KV model, stretched
// into random overlapping real-time intervals around its linearization points, is always
// linearizable, whatever outcomes (ok, info, pending, fail) its operations are given;
// and a read of a value nobody wrote never is.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/lin/check.hpp"
#include "sim/lin/kv_model.hpp"
#include "sim/tests/properties/rc_doctest.hpp"

using sim::KvOp;
using sim::Operation;
using sim::Outcome;
using sim::lin::Verdict;

namespace {

struct Generated {
    std::vector<Operation> history;
    std::vector<sim::Micros> points;  // linearization points of the applied ops (tests print them)
};

// `count` operations on `keys` keys, values in 0..values-1. Operation i that takes effect
// does so at time 1000*(i+1); its interval reaches up to `spread` linearization points
// either side. Info and pending operations take effect or not; failed ones never do.
Generated sequential(int count, int keys, int values, int spread) {
    Generated g;
    std::vector<sim::lin::Value> regs(static_cast<std::size_t>(keys), 0);
    for (int i = 0; i < count; ++i) {
        Operation op;
        op.client = i % 5;
        op.seq = static_cast<std::uint32_t>(i + 1);
        op.command.op = static_cast<KvOp>(*rc::gen::inRange(0, 3));
        op.command.key = static_cast<std::uint8_t>(*rc::gen::inRange(0, keys));
        op.command.value = static_cast<std::uint32_t>(*rc::gen::inRange(0, values));
        op.command.expected = static_cast<std::uint32_t>(*rc::gen::inRange(0, values));
        const int kind = *rc::gen::inRange(0, 10);  // 0..6 ok, 7 info, 8 pending, 9 fail
        op.outcome = kind <= 6 ? Outcome::Ok : kind == 7 ? Outcome::Info : kind == 8 ? Outcome::Pending : Outcome::Fail;
        const bool applied = op.outcome == Outcome::Ok ||
                             (op.outcome != Outcome::Fail && *rc::gen::arbitrary<bool>());
        const sim::Micros point = 1000 * (i + 1);
        const int before = *rc::gen::inRange(0, spread + 1), after = *rc::gen::inRange(0, spread + 1);
        op.invokeUs = std::max<sim::Micros>(0, point - 1000 * before - *rc::gen::inRange(0, 1000));
        op.completeUs = point + 1000 * after + *rc::gen::inRange(0, 1000);
        if (applied) {
            sim::lin::Value& reg = regs[op.command.key];
            Operation known = op;
            known.outcome = Outcome::Ok;
            // The model's own result: put 1, get the value, cas 1 or 0.
            for (std::uint64_t r : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{reg}}) {
                known.result = r;
                if (const auto next = sim::lin::step(reg, known)) {
                    reg = *next;
                    break;
                }
            }
            op.result = known.result;
            g.points.push_back(point);
        } else {
            op.result = static_cast<std::uint64_t>(*rc::gen::inRange(0, values));  // a failed op's garbage
        }
        if (op.outcome == Outcome::Info || op.outcome == Outcome::Pending) op.result = 0;
        g.history.push_back(op);
    }
    return g;
}

}  // namespace

TEST_CASE("property: a sequential execution with overlapping intervals around it is linearizable") {
    rcdoctest::check("lin-sequential-is-linearizable", [] {
        const int count = *rc::gen::inRange(0, 120);
        const int keys = *rc::gen::inRange(1, 4);
        const int values = *rc::gen::inRange(1, 6);
        const int spread = *rc::gen::inRange(0, 4);
        const Generated g = sequential(count, keys, values, spread);
        const sim::lin::Result r = sim::lin::check(g.history);
        RC_ASSERT(r.verdict == Verdict::Ok);
        RC_ASSERT(r.operations == g.history.size());
    });
}

TEST_CASE("property: a read of a value nobody wrote is never linearizable") {
    // Never Ok; Violated with the read alone as the witness, or (rarely, with many
    // operations of unknown outcome) Unknown when the search runs out of budget.
    int unknown = 0, total = 0;
    rcdoctest::check("lin-read-of-unwritten", [&] {
        const int count = *rc::gen::inRange(1, 80);
        Generated g = sequential(count, *rc::gen::inRange(1, 3), *rc::gen::inRange(1, 6), *rc::gen::inRange(0, 3));
        Operation bad;
        bad.client = 9;
        bad.seq = 1'000'000;
        bad.command = {.op = KvOp::Get, .key = 0};
        bad.invokeUs = *rc::gen::inRange<sim::Micros>(0, 1000 * (count + 1));
        bad.completeUs = bad.invokeUs + *rc::gen::inRange<sim::Micros>(0, 5000);
        bad.outcome = Outcome::Ok;
        bad.result = 4242;  // values stay below 6
        g.history.insert(g.history.begin() + *rc::gen::inRange<std::ptrdiff_t>(0, count + 1), bad);
        const sim::lin::Result r = sim::lin::check(g.history);
        total += 1;
        RC_ASSERT(r.verdict != Verdict::Ok);
        if (r.verdict == Verdict::Unknown) {
            unknown += 1;
            return;
        }
        RC_ASSERT(r.witness.has_value());
        RC_LOG() << sim::lin::describe(*r.witness) << "\n";
        RC_ASSERT(r.witness->witness.ops.size() == 1u);
        RC_ASSERT(r.witness->witness.ops[0].seq == bad.seq);
    });
    CHECK(unknown * 50 <= total);
}

namespace {

// Linearizable by brute force: some order of the completed ops and some of the others
// that respects real time (an op that completed before another was invoked comes
// first) and the model's results.
bool bruteForce(const std::vector<Operation>& ops) {
    const std::size_t n = ops.size();
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
        std::vector<std::size_t> chosen;
        bool valid = true;
        for (std::size_t i = 0; i < n; ++i) {
            const bool in = ((mask >> i) & 1u) != 0;
            if (ops[i].outcome == Outcome::Fail && in) valid = false;
            if (ops[i].outcome == Outcome::Ok && !in) valid = false;
            if (in) chosen.push_back(i);
        }
        if (!valid) continue;
        std::sort(chosen.begin(), chosen.end());
        do {
            bool fits = true;
            for (std::size_t x = 0; x < chosen.size() && fits; ++x) {
                for (std::size_t y = x + 1; y < chosen.size() && fits; ++y) {
                    const Operation& later = ops[chosen[x]];  // placed first, must not follow...
                    const Operation& earlier = ops[chosen[y]];  // ...one that completed before it began
                    if (earlier.outcome == Outcome::Ok && earlier.completeUs < later.invokeUs) fits = false;
                }
            }
            std::vector<sim::lin::Value> regs(4, 0);
            for (std::size_t x = 0; x < chosen.size() && fits; ++x) {
                const Operation& op = ops[chosen[x]];
                const auto next = sim::lin::step(regs[op.command.key], op);
                if (!next) fits = false;
                else regs[op.command.key] = *next;
            }
            if (fits) return true;
        } while (std::next_permutation(chosen.begin(), chosen.end()));
    }
    return false;
}

}  // namespace

TEST_CASE("property: the search agrees with brute force on small random histories") {
    int violated = 0, total = 0;
    rcdoctest::check("lin-agrees-with-brute-force", [&] {
        const int count = *rc::gen::inRange(1, 7);
        std::vector<Operation> h;
        for (int i = 0; i < count; ++i) {
            Operation op;
            op.client = i;
            op.seq = static_cast<std::uint32_t>(i + 1);
            op.command.op = static_cast<KvOp>(*rc::gen::inRange(0, 3));
            op.command.key = static_cast<std::uint8_t>(*rc::gen::inRange(0, 2));
            op.command.value = static_cast<std::uint32_t>(*rc::gen::inRange(0, 3));
            op.command.expected = static_cast<std::uint32_t>(*rc::gen::inRange(0, 3));
            op.invokeUs = *rc::gen::inRange<sim::Micros>(0, 10);
            op.completeUs = op.invokeUs + *rc::gen::inRange<sim::Micros>(0, 6);
            const int kind = *rc::gen::inRange(0, 8);  // 0..4 ok, 5 info, 6 pending, 7 fail
            op.outcome = kind <= 4 ? Outcome::Ok : kind == 5 ? Outcome::Info : kind == 6 ? Outcome::Pending : Outcome::Fail;
            op.result = op.command.op == KvOp::Put ? 1
                        : op.command.op == KvOp::Cas ? static_cast<std::uint64_t>(*rc::gen::inRange(0, 2))
                                                     : static_cast<std::uint64_t>(*rc::gen::inRange(0, 3));
            h.push_back(op);
        }
        const sim::lin::Result r = sim::lin::check(h);
        const bool expected = bruteForce(h);
        total += 1;
        violated += expected ? 0 : 1;
        RC_ASSERT(r.verdict == (expected ? Verdict::Ok : Verdict::Violated));
    });
    // Both verdicts were exercised.
    MESSAGE(total << " histories, " << violated << " not linearizable");
    CHECK(violated > total / 10);
    CHECK(violated < total - total / 10);
}
