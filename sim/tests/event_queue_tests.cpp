// The event queue and the checker's log-matching memory against simple references.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "sim/entry_prefixes.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

using namespace sim;

namespace {

bool earlier(const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
}

// Delays below `spread`: a small one makes ties on time common, a large one spreads the
// events over many of the radix heap's buckets.
void checkAgainstReference(std::uint64_t spread) {
    Rng rng(42);
    EventQueue queue;
    std::vector<Event> reference;  // what is queued, kept sorted latest first
    std::uint64_t seq = 0;
    Micros now = 0;
    for (int round = 0; round < 20'000; ++round) {
        const auto pushes = static_cast<int>(rng.below(reference.size() < 8 ? 4 : 3));
        for (int i = 0; i < pushes; ++i) {
            const Event e{now + static_cast<Micros>(rng.below(spread)), seq++, EventKind::Deliver, 0,
                          static_cast<std::uint32_t>(i), 0};
            queue.push(e);
            reference.insert(std::upper_bound(reference.begin(), reference.end(), e,
                                              [](const Event& a, const Event& b) { return earlier(b, a); }),
                             e);
        }
        if (reference.empty()) continue;
        REQUIRE(queue.size() == reference.size());
        CHECK(queue.top().seq == reference.back().seq);
        const Event e = queue.pop();
        CHECK(e.seq == reference.back().seq);
        CHECK(e.time == reference.back().time);
        reference.pop_back();
        now = e.time;
    }
    while (!queue.empty()) {
        CHECK(queue.pop().seq == reference.back().seq);
        reference.pop_back();
    }
    CHECK(reference.empty());
}

}  // namespace

TEST_CASE("event queue: pops in (time, seq) order, pushes and pops interleaved") {
    checkAgainstReference(50);
    checkAgainstReference(std::uint64_t{1} << 40);
}

TEST_CASE("entry prefixes: one (index, term), one prefix, across diverging terms") {
    EntryPrefixes prefixes;
    CHECK(prefixes.record(1, 1, 100));
    CHECK(prefixes.record(2, 1, 200));
    CHECK(prefixes.record(1, 1, 100));   // another node, the same log
    CHECK(prefixes.record(2, 2, 201));   // a diverging entry at index 2, in term 2
    CHECK(prefixes.record(2, 3, 202));   // and another in term 3
    CHECK(prefixes.record(2, 2, 201));
    CHECK_FALSE(prefixes.record(2, 1, 999));  // same (2, 1), a different log
    CHECK_FALSE(prefixes.record(2, 3, 999));  // same (2, 3), a different log
    CHECK(prefixes.record(5, 4, 500));        // indexes may be recorded out of order
    CHECK(prefixes.record(3, 4, 300));
    CHECK_FALSE(prefixes.record(5, 4, 501));
}
