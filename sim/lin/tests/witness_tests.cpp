// The witness: a small sub-history of the failing key that is still not linearizable.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "sim/lin/check.hpp"
#include "sim/lin/search.hpp"
#include "sim/lin/tests/helpers.hpp"

using namespace lintest;
using sim::lin::Verdict;

namespace {

// Noise: a sequential run of puts and matching reads on `key` from t=start, one op a
// 100us, all linearizable on their own.
std::vector<Operation> noise(std::uint8_t key, sim::Micros start, int count) {
    std::vector<Operation> h;
    for (int i = 0; i < count; ++i) {
        const sim::Micros t = start + 100 * i;
        const auto v = static_cast<std::uint32_t>(1000 + i);
        h.push_back(put(3, v, t, t + 10, key));
        h.push_back(get(4, v, t + 20, t + 30, key));
    }
    return h;
}

std::vector<std::uint32_t> seqs(const std::vector<Operation>& ops) {
    std::vector<std::uint32_t> out;
    for (const Operation& op : ops) out.push_back(op.seq);
    return out;
}

}  // namespace

TEST_CASE("witness: a stale read among noise shrinks to the two writes and the read") {
    // Key 0: noise, then put 1, put 2, and a read of 1 after both completed; then more
    // noise that overwrites it all. Key 1: noise only.
    std::vector<Operation> h = noise(0, 0, 20);
    const Operation p1 = put(0, 1, 5000, 5010), p2 = put(1, 2, 5020, 5030), g = get(2, 1, 5040, 5050);
    h.push_back(p1);
    h.push_back(p2);
    h.push_back(g);
    for (const Operation& op : noise(0, 6000, 20)) h.push_back(op);
    for (const Operation& op : noise(1, 0, 30)) h.push_back(op);
    const sim::lin::Result r = sim::lin::check(h);
    REQUIRE(r.verdict == Verdict::Violated);
    REQUIRE(r.witness);
    CHECK(r.witness->key == 0);
    CHECK(r.witness->keyOperations == 83);
    CHECK(r.witness->witness.minimal);
    CHECK(seqs(r.witness->witness.ops) == std::vector<std::uint32_t>{p1.seq, p2.seq, g.seq});
    // Minimal: deleting any one of them makes it linearizable (the put of 1 may go only
    // with the read of 1, then what is left is one put).
    const auto& w = r.witness->witness.ops;
    CHECK(sim::lin::search(w, 1000).verdict == Verdict::Violated);
    for (std::size_t i = 0; i < w.size(); ++i) {
        std::vector<Operation> less = w;
        less.erase(less.begin() + static_cast<std::ptrdiff_t>(i));
        const bool keepsAWrite = i != 0;  // without the put of 1, the read is of a value never written
        if (keepsAWrite) CHECK(sim::lin::search(less, 1000).verdict == Verdict::Ok);
    }
    const std::string line = sim::lin::describe(*r.witness);
    INFO(line);
    CHECK(line.find("key 0: its 83 operations have no linearization; 3 of them already have none") == 0);
    CHECK(line.find("put 1 -> 1 [0.005000s, 0.005010s]") != std::string::npos);
    CHECK(line.find("put 2 -> 1 [0.005020s, 0.005030s]") != std::string::npos);
    CHECK(line.find("get -> 1 [0.005040s, 0.005050s]") != std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("witness: a lost write is the write and the read that missed it") {
    std::vector<Operation> h = noise(0, 0, 10);
    const Operation p = put(0, 5, 2000, 2010), g = get(1, 1009, 2020, 2030);  // 1009: the noise's last value
    h.push_back(p);
    h.push_back(g);
    const sim::lin::Result r = sim::lin::check(h);
    REQUIRE(r.witness);
    // The read of 1009 keeps a write of 1009.
    CHECK(r.witness->witness.ops.size() == 3);
    CHECK(seqs(r.witness->witness.ops) == std::vector<std::uint32_t>{h[18].seq, p.seq, g.seq});
}

TEST_CASE("witness: unknown outcomes are described as such; a read of nothing written is one op") {
    const Operation info = as(put(5, 9, 10, 500), Outcome::Info);
    const Operation pending = as(cas(6, 9, 4, 0, 20, 30), Outcome::Pending);
    const std::vector<Operation> h = {info, pending, get(1, 77, 40, 50)};
    const sim::lin::Result r = sim::lin::check(h);
    REQUIRE(r.witness);
    REQUIRE(r.witness->witness.ops.size() == 1);
    CHECK(sim::lin::describe(r.witness->witness.ops[0]).find("get -> 77 [0.000040s, 0.000050s]") !=
          std::string::npos);
    CHECK(sim::lin::describe(info) == fmt::format("c5#{} put 9 -> ? [0.000010s, info]", info.seq));
    CHECK(sim::lin::describe(pending) == fmt::format("c6#{} cas 9->4 -> ? [0.000020s, pending]", pending.seq));
}

TEST_CASE("witness: over its budget it stops early and says it is not minimal") {
    std::vector<Operation> h = noise(0, 0, 50);
    h.push_back(put(0, 1, 9000, 9010));
    h.push_back(get(1, 0, 9020, 9030));
    const sim::lin::Result r = sim::lin::check(h, {.searchSteps = 1'000'000, .witnessSteps = 50});
    REQUIRE(r.witness);
    CHECK(r.verdict == Verdict::Violated);
    CHECK_FALSE(r.witness->witness.minimal);
    CHECK(r.witness->witness.ops.size() > 2);
    CHECK(sim::lin::describe(*r.witness).find("shrinking ran out of budget") != std::string::npos);
}

TEST_CASE("witness: a stale read keeps the write of its value that came last before it") {
    // 19 is written often, once long after the read; the read of 19 comes after 71
    // overwrote the 19 written just before. Neither the other writes of 19 nor a read of
    // a value nobody wrote (what deleting every write of 19 would leave) is the witness.
    std::vector<Operation> h;
    for (int i = 0; i < 5; ++i) {
        h.push_back(put(1, 19, 1000 * i, 1000 * i + 10));
        h.push_back(put(2, 40 + static_cast<std::uint32_t>(i), 1000 * i + 100, 1000 * i + 110));
        h.push_back(get(3, 40 + static_cast<std::uint64_t>(i), 1000 * i + 200, 1000 * i + 210));
    }
    const Operation last19 = put(1, 19, 6000, 6010), p71 = put(2, 71, 6100, 6110), stale = get(3, 19, 6200, 6210);
    h.push_back(last19);
    h.push_back(p71);
    h.push_back(stale);
    h.push_back(put(1, 19, 9000, 9010));
    const sim::lin::Result r = sim::lin::check(h);
    REQUIRE(r.witness);
    CHECK(r.witness->witness.minimal);
    CHECK(seqs(r.witness->witness.ops) == std::vector<std::uint32_t>{last19.seq, p71.seq, stale.seq});
}
