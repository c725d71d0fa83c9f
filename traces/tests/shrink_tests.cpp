// Shrinking keeps the property, makes the trace smaller, replays, and is deterministic.
#include <doctest/doctest.h>

#include "traces/json_write.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

Trace failing(raft::Bug bug, std::uint64_t seed) {
    Trace t = record(testing::withBug(testing::busyOptions(seed), bug), seed);
    REQUIRE_MESSAGE(t.verdict.has_value(), "seed ", seed, " must fail");
    return t;
}

}  // namespace

TEST_CASE("shrink_keepsTheProperty_andShrinks") {
    const Trace input = failing(raft::Bug::VoteNoLogCheck, 3);
    const ShrinkResult out = shrink(input);
    REQUIRE(out.trace.verdict.has_value());
    CHECK(out.trace.verdict->property == input.verdict->property);
    CHECK(TraceSize::of(out.trace) < TraceSize::of(input));
    CHECK(out.trace.events.size() * 4 <= input.events.size());
    CHECK(out.trace.script.faults.size() <= input.script.faults.size());
    CHECK(out.trace.script.requests.size() <= input.script.requests.size());
    CHECK(out.runs <= ShrinkOptions{}.maxRuns);
}

TEST_CASE("shrink_resultReplaysIdentically") {
    const ShrinkResult out = shrink(failing(raft::Bug::TruncateOnStaleAppend, 2));
    const Comparison c = compare(out.trace, rerun(out.trace));
    CHECK_MESSAGE(c.identical, c.report);
}

TEST_CASE("shrink_isDeterministic") {
    const Trace input = failing(raft::Bug::VoteNoLogCheck, 5);
    CHECK(dump(shrink(input).trace) == dump(shrink(input).trace));
}

TEST_CASE("shrink_respectsItsBudget") {
    const ShrinkResult out = shrink(failing(raft::Bug::VoteNoLogCheck, 3), ShrinkOptions{.maxRuns = 5});
    CHECK(out.runs <= 5);
    CHECK(out.trace.verdict.has_value());
}

TEST_CASE("shrink_ofAPassingTrace_isRefused") {
    const Trace passing = record(testing::busyOptions(4), 4);
    REQUIRE_FALSE(passing.verdict.has_value());
    CHECK_THROWS_AS(shrink(passing), std::invalid_argument);
}

TEST_CASE("traceSize_ordersByNodesThenScheduleThenEvents") {
    const TraceSize small{.nodes = 3, .faults = 9, .requests = 9, .events = 900};
    const TraceSize big{.nodes = 5, .faults = 0, .requests = 0, .events = 10};
    CHECK(small < big);
    CHECK(TraceSize{.nodes = 3, .faults = 1, .events = 10} < TraceSize{.nodes = 3, .faults = 1, .events = 11});
}

}  // namespace traces
