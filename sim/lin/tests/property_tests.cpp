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
    rcdoctest::check("lin-read-of-unwritten", [] {
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
        RC_ASSERT(r.verdict == Verdict::Violated);
        RC_ASSERT(r.witness.has_value());
        RC_ASSERT(r.witness->witness.ops.size() == 1u);
        RC_ASSERT(r.witness->witness.ops[0].seq == bad.seq);
    });
}
