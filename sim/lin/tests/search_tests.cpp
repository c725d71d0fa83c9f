// The search and the whole-history check on hand-built histories of the KV model.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/lin/check.hpp"
#include "sim/lin/search.hpp"
#include "sim/lin/tests/helpers.hpp"

using namespace lintest;
using sim::lin::Verdict;

namespace {

Verdict verdictOf(const std::vector<Operation>& h) { return sim::lin::check(h).verdict; }

}  // namespace

TEST_CASE("check: an empty history and a sequential one are linearizable") {
    CHECK(verdictOf({}) == Verdict::Ok);
    CHECK(verdictOf({put(0, 5, 10, 20), get(1, 5, 30, 40), cas(0, 5, 7, 1, 50, 60), get(1, 7, 70, 80),
                     cas(1, 5, 9, 0, 90, 95), get(0, 7, 100, 110)}) == Verdict::Ok);
    CHECK(verdictOf({get(0, 0, 10, 20)}) == Verdict::Ok);  // every key starts at 0
}

TEST_CASE("check: overlapping operations may take effect in either order") {
    // The get overlaps the put: it may see the old value or the new one.
    CHECK(verdictOf({put(0, 5, 10, 50), get(1, 0, 20, 30)}) == Verdict::Ok);
    CHECK(verdictOf({put(0, 5, 10, 50), get(1, 5, 20, 30)}) == Verdict::Ok);
    // Two overlapping puts and reads that need the second put first.
    CHECK(verdictOf({put(0, 1, 10, 50), put(1, 2, 10, 50), get(2, 2, 20, 30), get(2, 1, 60, 70)}) == Verdict::Ok);
    // Touching at one instant counts as overlapping.
    CHECK(verdictOf({put(0, 1, 10, 20), get(1, 0, 20, 30)}) == Verdict::Ok);
}

TEST_CASE("check: a stale read is a violation") {
    // put 1, then put 2, then (after both completed) a read of 1.
    CHECK(verdictOf({put(0, 1, 10, 20), put(0, 2, 30, 40), get(1, 1, 50, 60)}) == Verdict::Violated);
}

TEST_CASE("check: a lost write is a violation") {
    // A completed put, then a read of the initial value.
    CHECK(verdictOf({put(0, 3, 10, 20), get(1, 0, 30, 40)}) == Verdict::Violated);
    // Two puts, each read back by its own client after both completed: one is lost.
    CHECK(verdictOf({put(0, 1, 10, 20), put(1, 2, 10, 20), get(0, 1, 30, 40), get(1, 2, 50, 60)}) ==
          Verdict::Violated);
}

TEST_CASE("check: cas anomalies are violations") {
    // Two cas 0->1 that both succeed, one after the other.
    CHECK(verdictOf({cas(0, 0, 1, 1, 10, 20), cas(1, 0, 1, 1, 30, 40)}) == Verdict::Violated);
    // A cas that failed although the value was the expected one.
    CHECK(verdictOf({put(0, 4, 10, 20), cas(1, 4, 5, 0, 30, 40)}) == Verdict::Violated);
    // A cas that succeeded although the value was not the expected one.
    CHECK(verdictOf({put(0, 4, 10, 20), cas(1, 3, 5, 1, 30, 40)}) == Verdict::Violated);
    // A cas that succeeded, then a read of what it replaced.
    CHECK(verdictOf({cas(0, 0, 8, 1, 10, 20), get(1, 0, 30, 40)}) == Verdict::Violated);
    // Concurrent cas: one wins, one fails, either order fits.
    CHECK(verdictOf({cas(0, 0, 8, 1, 10, 40), cas(1, 0, 9, 0, 15, 35), get(2, 8, 50, 60)}) == Verdict::Ok);
}

TEST_CASE("check: a read of a value never written is a violation") {
    CHECK(verdictOf({put(0, 7, 10, 20), get(1, 42, 30, 40)}) == Verdict::Violated);
    CHECK(verdictOf({get(1, 42, 30, 40)}) == Verdict::Violated);
}

TEST_CASE("check: an unknown outcome (info, pending) may explain an otherwise bad read") {
    const Operation write9 = make(2, KvOp::Put, 0, 9, 0, 5, 15, Outcome::Ok, 1);
    // Without the put of 9 the read is of a value never written.
    CHECK(verdictOf({put(0, 1, 10, 20), get(1, 9, 30, 40)}) == Verdict::Violated);
    // A put of 9 that timed out (info) or is still pending may have taken effect, even
    // long after its client gave up.
    CHECK(verdictOf({as(write9, Outcome::Info), put(0, 1, 10, 20), get(1, 9, 30, 40)}) == Verdict::Ok);
    CHECK(verdictOf({as(write9, Outcome::Pending), put(0, 1, 10, 20), get(1, 9, 30, 40)}) == Verdict::Ok);
    // It may also never take effect: the reads see only the put of 1.
    CHECK(verdictOf({as(write9, Outcome::Info), put(0, 1, 10, 20), get(1, 1, 30, 40), get(1, 1, 50, 60)}) ==
          Verdict::Ok);
    // An info cas whose result is unknown, but which swapped.
    CHECK(verdictOf({put(0, 3, 10, 20), as(cas(2, 3, 4, 0, 25, 26), Outcome::Info), get(1, 4, 30, 40)}) ==
          Verdict::Ok);
}

TEST_CASE("check: an unknown outcome does not save what it cannot explain") {
    const Operation write9 = make(2, KvOp::Put, 0, 9, 0, 5, 15, Outcome::Info, 0);
    // It writes 9, not 5.
    CHECK(verdictOf({write9, put(0, 1, 10, 20), get(1, 5, 30, 40)}) == Verdict::Violated);
    // It cannot take effect before its invocation: the read of 9 precedes it.
    Operation late = write9;
    late.invokeUs = 100;
    CHECK(verdictOf({late, get(1, 9, 30, 40)}) == Verdict::Violated);
    // It takes effect at most once: 9, then 1, then 9 again needs a second write.
    CHECK(verdictOf({write9, get(1, 9, 20, 25), put(0, 1, 30, 35), get(1, 9, 40, 45)}) == Verdict::Violated);
    // An info get constrains nothing, and explains nothing.
    CHECK(verdictOf({as(get(2, 0, 5, 50), Outcome::Info), put(0, 3, 10, 20), get(1, 0, 30, 40)}) ==
          Verdict::Violated);
    // An info cas that cannot have swapped (the value is never its expected one).
    CHECK(verdictOf({put(0, 3, 10, 20), as(cas(2, 7, 4, 0, 25, 26), Outcome::Info), get(1, 4, 30, 40)}) ==
          Verdict::Violated);
}

TEST_CASE("check: a failed operation is not applied") {
    // The read of 9 could only come from the put that definitely failed.
    CHECK(verdictOf({as(put(2, 9, 5, 15), Outcome::Fail), put(0, 1, 10, 20), get(1, 9, 30, 40)}) ==
          Verdict::Violated);
    // A failed cas 0->1 leaves 0 for a later successful one.
    CHECK(verdictOf({as(cas(2, 0, 1, 1, 5, 15), Outcome::Fail), cas(1, 0, 1, 1, 30, 40)}) == Verdict::Ok);
    // A failed op's recorded result means nothing either.
    CHECK(verdictOf({as(get(2, 77, 5, 15), Outcome::Fail)}) == Verdict::Ok);
}

TEST_CASE("check: keys are independent; counts are reported") {
    // Each key alone is fine; read as one register the history would not be.
    const std::vector<Operation> h = {put(0, 1, 10, 20, 0), put(1, 2, 30, 40, 1), get(2, 1, 50, 60, 0),
                                      get(2, 2, 70, 80, 1), as(get(2, 0, 90, 95, 2), Outcome::Fail)};
    const sim::lin::Result r = sim::lin::check(h);
    CHECK(r.verdict == Verdict::Ok);
    CHECK(r.operations == 5);
    CHECK(r.keys == 3);
    CHECK(r.states >= 4);
    CHECK(!r.witness);
    // A violation on key 1 only is reported on key 1.
    const std::vector<Operation> badHistory = {put(0, 1, 10, 20, 0), put(1, 2, 30, 40, 1), get(2, 0, 50, 60, 1)};
    const sim::lin::Result bad = sim::lin::check(badHistory);
    CHECK(bad.verdict == Verdict::Violated);
    REQUIRE(bad.witness);
    CHECK(bad.witness->key == 1);
}

TEST_CASE("check: over its budget the verdict is unknown, never ok") {
    // Many overlapping writes of distinct values and one read of a value none wrote: every
    // order is tried before the search gives up; a small budget stops it first.
    std::vector<Operation> h;
    for (std::uint32_t i = 0; i < 12; ++i) h.push_back(put(static_cast<int>(i), i + 1, 10, 1000));
    h.push_back(get(99, 500, 20, 30));
    h.push_back(get(98, 3, 900, 950));
    const sim::lin::SearchResult small = sim::lin::search(h, 100);
    CHECK(small.verdict == Verdict::Unknown);
    CHECK(small.steps == 100);
    CHECK(sim::lin::check(h, {.searchSteps = 100, .witnessSteps = 1000}).verdict == Verdict::Unknown);
    // A linearizable history over its budget is Unknown too, not Ok.
    std::vector<Operation> fine;
    for (std::uint32_t i = 0; i < 12; ++i) fine.push_back(put(static_cast<int>(i), i + 1, 10, 1000));
    fine.push_back(get(98, 3, 1100, 1150));
    CHECK(sim::lin::search(fine, 5).verdict == Verdict::Unknown);
    CHECK(sim::lin::search(fine, 1'000'000).verdict == Verdict::Ok);
    CHECK(sim::lin::search(h, 10'000'000).verdict == Verdict::Violated);
}

TEST_CASE("check: memoization keeps a wide history cheap") {
    // 14 concurrent puts (2^14 subsets, 14! orders) then reads: Lowe's memo visits each
    // (set, value) once. Reads that need the last write to be 7 force a long search.
    std::vector<Operation> h;
    for (std::uint32_t i = 0; i < 14; ++i) h.push_back(put(static_cast<int>(i), i % 4, 10, 1000));
    h.push_back(get(50, 3, 1100, 1200));
    const sim::lin::SearchResult r = sim::lin::search(h, 50'000'000);
    CHECK(r.verdict == Verdict::Ok);
    h.push_back(get(51, 7, 1300, 1400));
    const sim::lin::SearchResult bad = sim::lin::search(h, 50'000'000);
    CHECK(bad.verdict == Verdict::Violated);
    MESSAGE("states explored: " << bad.states << " in " << bad.steps << " steps");
}

TEST_CASE("check: the verdict does not depend on the order operations are listed in") {
    std::vector<Operation> h = {put(0, 1, 10, 50), put(1, 2, 10, 50), get(2, 2, 20, 30), get(2, 1, 60, 70),
                                as(put(3, 5, 65, 66), Outcome::Info), get(0, 5, 80, 90)};
    CHECK(verdictOf(h) == Verdict::Ok);
    std::reverse(h.begin(), h.end());
    CHECK(verdictOf(h) == Verdict::Ok);
}
