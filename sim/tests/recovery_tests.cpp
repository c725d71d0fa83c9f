// Recovery after the heal in election timeouts (sim/recovery.hpp): the unit, the
// percentile a sweep's bound reads, and what a run records.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "sim/recovery.hpp"
#include "sim/world.hpp"

using namespace sim;

TEST_CASE("percentile_nearestRank_smallestValueWithAtLeastPPercentAtOrBelow") {
    const std::vector<int> one{7};
    CHECK(percentile(one, 1) == 7);
    CHECK(percentile(one, 100) == 7);
    std::vector<int> hundred;
    for (int k = 1; k <= 100; ++k) hundred.push_back(k);
    CHECK(percentile(hundred, 50) == 50);
    CHECK(percentile(hundred, 99) == 99);
    CHECK(percentile(hundred, 100) == 100);
    // Ten values: p99 is the largest (10 * 0.99 rounds up to rank 10), p50 the fifth.
    const std::vector<int> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 1000};
    CHECK(percentile(ten, 50) == 5);
    CHECK(percentile(ten, 90) == 9);
    CHECK(percentile(ten, 91) == 1000);
    CHECK(percentile(ten, 99) == 1000);
}

TEST_CASE("percentile_ofConcatenatedShards_equalsPercentileOfWhole") {
    // What `raftsim merge` relies on: the sorted union of the shards' lists is the list of
    // one sweep, so every percentile is the same, not an average of the shards'.
    std::vector<std::int64_t> whole, a, b;
    for (std::int64_t k = 0; k < 301; ++k) {
        const std::int64_t v = (k * 7919) % 1013;
        whole.push_back(v);
        (k % 2 == 0 ? a : b).push_back(v);
    }
    std::vector<std::int64_t> merged = a;
    merged.insert(merged.end(), b.begin(), b.end());
    std::sort(whole.begin(), whole.end());
    std::sort(merged.begin(), merged.end());
    for (const int p : {1, 50, 90, 99, 100}) CHECK(percentile(merged, p) == percentile(whole, p));
}

TEST_CASE("milliTimeouts_thousandthsOfTheShortestTimeout_roundedDown") {
    CHECK(milliTimeouts(150'000, 150'000) == 1000);
    CHECK(milliTimeouts(300'000, 150'000) == 2000);
    CHECK(milliTimeouts(150'149, 150'000) == 1000);
    CHECK(milliTimeouts(150'150, 150'000) == 1001);
    CHECK(milliTimeouts(0, 150'000) == 0);
}

TEST_CASE("world_recovery_withALeaderAtTheHeal_noElectionAndUnderOneTimeout") {
    SimOptions o;  // no faults: the first leader still leads at the heal
    o.nodes = 3;
    o.safetyPhaseUs = 1'000'000;
    o.livenessPhaseUs = 2'000'000;
    const RunResult r = World(o, 4).run();
    REQUIRE_FALSE(r.violation);
    REQUIRE(r.stats.livenessRecoveryUs >= 0);
    CHECK(r.stats.livenessRecoveryMilliTimeouts == milliTimeouts(r.stats.livenessRecoveryUs, o.electionTimeoutMinUs));
    CHECK(r.stats.livenessElections == 0);
    CHECK(r.stats.livenessRecoveryMilliTimeouts < 1000);
}

TEST_CASE("world_recovery_afterFaults_electionsCountedAndNoMoreThanTimeouts") {
    // Seeds of the default sweep: some clusters must elect after the heal. Every election
    // (a term started) follows an election timeout that fired (no transfers here), and
    // some recovery waited for a pause that outlasted the heal.
    int elected = 0, pausedPastHeal = 0;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        SimOptions o;
        o.faults = swarmFaults(seed);
        swarmCluster(seed, o);
        const RunResult r = World(o, seed).run();
        REQUIRE_FALSE(r.violation);
        // Counted from the end of the last fault, which is the heal or a pause after it.
        CHECK(r.stats.livenessRecoveryMilliTimeouts <=
              milliTimeouts(r.stats.livenessRecoveryUs, o.electionTimeoutMinUs));
        CHECK(r.stats.livenessElections <= r.stats.timeouts);
        elected += r.stats.livenessElections > 0;
        pausedPastHeal += r.stats.livenessRecoveryMilliTimeouts <
                          milliTimeouts(r.stats.livenessRecoveryUs, o.electionTimeoutMinUs);
    }
    CHECK(elected >= 3);  // the sample holds real elections
    CHECK(pausedPastHeal >= 1);
}
