// Recording and replay: recording does not change a run; a replay is bit for bit.
#include <doctest/doctest.h>

#include "sim/world.hpp"
#include "traces/replay.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

TEST_CASE("record_doesNotChangeTheRun") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        const sim::SimOptions options = testing::withBug(testing::busyOptions(seed), raft::Bug::VoteNoLogCheck);
        const sim::RunResult plain = sim::World(options, seed).run();
        sim::RunResult tapped;
        const Trace t = record(options, seed, {}, &tapped);
        CHECK(tapped.eventHash == plain.eventHash);
        CHECK(t.events.size() == plain.stats.events);
        CHECK(t.verdict.has_value() == plain.violation.has_value());
    }
}

TEST_CASE("rerun_ofARecordedTrace_isIdentical") {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        sim::SimOptions options = testing::busyOptions(seed);
        if (seed % 2 == 0) options = testing::withBug(options, raft::Bug::TruncateOnStaleAppend);
        const Trace recorded = record(options, seed);
        const Trace replayed = rerun(recorded);
        const Comparison c = compare(recorded, replayed);
        CHECK_MESSAGE(c.identical, c.report);
        CHECK(replayed.script == recorded.script);
    }
}

TEST_CASE("rerun_followsTheScript_notTheSeed") {
    Trace recorded = record(testing::busyOptions(7), 7);
    REQUIRE(!recorded.script.faults.empty());
    REQUIRE(!recorded.script.requests.empty());
    recorded.seed = 12345;
    CHECK(compare(recorded, rerun(recorded)).identical);
}

TEST_CASE("compare_reportsTheFirstDivergentEvent_withBothSides") {
    const Trace recorded = record(testing::busyOptions(8), 8);
    Trace tampered = recorded;
    tampered.events[41].term += 1;
    tampered.events[60].timeUs += 1;
    const Comparison c = compare(tampered, rerun(recorded));
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged at event 42:\n  recorded: {\"i\":42,") == 0);
    CHECK(c.report.find("\n  replayed: {\"i\":42,") != std::string::npos);
}

TEST_CASE("compare_shorterRun_showsTheEnd") {
    const Trace recorded = record(testing::busyOptions(9), 9);
    Trace shorter = recorded;
    shorter.events.resize(10);
    const Comparison c = compare(recorded, shorter);
    CHECK(c.report.find("diverged at event 11:") == 0);
    CHECK(c.report.find("replayed: (none: the run ended before it)") != std::string::npos);
}

TEST_CASE("compare_differentVerdict_isADivergence") {
    const Trace recorded = record(testing::withBug(testing::busyOptions(3), raft::Bug::VoteNoLogCheck), 3);
    REQUIRE(recorded.verdict.has_value());
    Trace other = recorded;
    other.verdict->property = "election-safety";
    const Comparison c = compare(other, recorded);
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged in the verdict") == 0);
}

TEST_CASE("rerun_aShortenedScript_readsMissingChoicesAsZero") {
    Trace t = record(testing::busyOptions(10), 10);
    for (sim::ChoiceTape& tape : t.script.tapes) tape.clear();
    t.script.faults.clear();
    t.script.requests.clear();
    const Trace out = rerun(t);
    CHECK(out.script.faults.empty());
    CHECK(out.script.requests.empty());
    // Every choice the run made was the simplest one.
    for (const sim::ChoiceTape& tape : out.script.tapes) {
        for (const std::uint64_t v : tape) CHECK(v == 0);
    }
    CHECK(compare(out, rerun(out)).identical);
}

}  // namespace traces
