// sweep --check-determinism: the comparison of two runs of a seed, and a recheck that
// finds a doctored first run (a forced mismatch, without a hook in the simulator).
#include <doctest/doctest.h>

#include "tools/raftsim/determinism.hpp"

using tools::RunFingerprint;

TEST_CASE("determinism: the sample is every 10th seed, the first included") {
    CHECK(tools::inDeterminismSample(0));
    CHECK_FALSE(tools::inDeterminismSample(1));
    CHECK_FALSE(tools::inDeterminismSample(9));
    CHECK(tools::inDeterminismSample(10));
}

TEST_CASE("determinism: runs agree only when both hash and verdict agree") {
    const RunFingerprint a{.seed = 5, .eventHash = 0x1234, .verdict = "held"};
    CHECK_FALSE(tools::compareRuns(a, a).has_value());
    RunFingerprint otherHash = a;
    otherHash.eventHash = 0x1235;
    const auto m = tools::compareRuns(a, otherHash);
    REQUIRE(m.has_value());
    CHECK(m->first.eventHash == 0x1234);
    CHECK(m->second.eventHash == 0x1235);
    RunFingerprint otherVerdict = a;
    otherVerdict.verdict = "unfinished";
    CHECK(tools::compareRuns(a, otherVerdict).has_value());
    const std::string report = tools::determinismReport({*m}, 3);
    CHECK(report ==
          "seed 5: not deterministic: event hash 0000000000001234 then 0000000000001235, verdict held then held\n"
          "determinism check failed: 1 of 3 seeds run twice differed\n");
    CHECK(tools::determinismReport({}, 3).empty());
}

TEST_CASE("determinism: a recheck passes on true first runs and reports a doctored one") {
    const tools::SimFlags flags;
    std::vector<RunFingerprint> recorded;
    for (const std::uint64_t seed : {3u, 1u}) {
        recorded.push_back(tools::fingerprintOf(seed, sim::World(flags.optionsFor(seed), seed).run()));
    }
    CHECK(tools::recheckDeterminism(recorded, flags).empty());
    recorded[0].eventHash ^= 1;  // seed 3's first run, as if it had gone another way
    const auto mismatches = tools::recheckDeterminism(recorded, flags);
    REQUIRE(mismatches.size() == 1);
    CHECK(mismatches[0].first.seed == 3);
    CHECK(mismatches[0].first.eventHash == (mismatches[0].second.eventHash ^ 1));
}
