// Shrinking keeps the property, makes the trace smaller, replays, and is deterministic.
#include <doctest/doctest.h>

#include "traces/json_write.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"
#include "traces/shrink_impl.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

Trace failing(raft::Bug bug, std::uint64_t seed) {
    Trace t = record(testing::withBug(testing::busyOptions(seed), bug), seed);
    REQUIRE_MESSAGE(t.verdict.has_value(), "seed ", seed, " must fail");
    return t;
}

// A seed of `raftsim sweep --bug B` (its default flags).
Trace sweepFailure(raft::Bug bug, std::uint64_t seed) {
    sim::SimOptions o;
    o.nodes = 5;
    o.safetyPhaseUs = 10'000'000;
    o.livenessPhaseUs = 5'000'000;
    o.workload.clients = 3;
    o.faults = sim::swarmFaults(seed);
    sim::swarmCluster(seed, o);
    o.bugs.enable(bug);
    Trace t = record(o, seed);
    REQUIRE_MESSAGE(t.verdict.has_value(), "seed ", seed, " must fail");
    return t;
}

void checkShrunk(const Trace& input, const ShrinkResult& out) {
    REQUIRE(out.trace.verdict.has_value());
    CHECK(out.trace.verdict->property == input.verdict->property);
    const Comparison c = compare(out.trace, rerun(out.trace));
    CHECK_MESSAGE(c.identical, c.report);
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

// The trace of issue 4 that kept 452 client requests (56.5% of its events) while
// deleting a request shifted the client choices of all the later ones. 682 events (5.7%)
// when this was written.
TEST_CASE("shrink_sweepFailureWithManyRequests_shrinksBelowATenth") {
    const Trace input = sweepFailure(raft::Bug::VoteNoLogCheck, 15);
    REQUIRE(input.events.size() == 10182);
    const ShrinkResult out = shrink(input);
    checkShrunk(input, out);
    CHECK(out.trace.events.size() * 10 <= input.events.size());
    CHECK(out.trace.script.requests.size() * 10 <= input.script.requests.size());
}

TEST_CASE("shrink_eachBugOfTheSweep_replaysIdentically_andKeepsItsProperty") {
    for (const raft::Bug bug : {raft::Bug::ForgetVote, raft::Bug::TruncateOnStaleAppend, raft::Bug::CommitIndexRegress}) {
        CAPTURE(static_cast<int>(bug));
        const Trace input = sweepFailure(bug, 1);
        const ShrinkResult out = shrink(input);
        checkShrunk(input, out);
        CHECK(out.trace.events.size() * 2 <= input.events.size());
    }
}

// A liveness phase is part of the liveness property: a standing stall must not shrink into
// a phase too short for any cluster to elect and commit, which fails for another reason.
TEST_CASE("shrink_livenessFailure_keepsALivenessPhaseACorrectClusterNeeds") {
    sim::SimOptions o;
    o.nodes = 5;
    o.faults = sim::swarmFaults(1);
    sim::swarmCluster(1, o);
    o.standingFault = true;
    o.preVote = true;
    o.checkQuorum = true;
    o.bugs.enable(raft::Bug::PreCandidateKeepsLeader);
    const Trace input = record(o, 1);
    REQUIRE(input.verdict.has_value());
    REQUIRE(input.verdict->property == "liveness");
    const ShrinkResult out = shrink(input, ShrinkOptions{.maxRuns = 300});
    checkShrunk(input, out);
    CHECK(out.trace.options.livenessPhaseUs >= 20 * out.trace.options.electionTimeoutMinUs);
    CHECK(TraceSize::of(out.trace) < TraceSize::of(input));
}

// Forget-vote needs one node and two events: its election timer fires, the write of its
// term completes, and the disk lacks the vote the node believes it persisted.
TEST_CASE("shrink_forgetVote_reachesItsTwoEvents") {
    const ShrinkResult out = shrink(sweepFailure(raft::Bug::ForgetVote, 1));
    CHECK(out.trace.options.nodes == 1);
    CHECK(out.trace.events.size() == 2);
}

// Commit-index-regress needs no client request at all: a leader commits its no-op, and
// a delayed AppendEntries lowers a commitIndex. 235 events before, 24 after when this
// was written (84 before requests stopped bouncing and rounds repeated).
TEST_CASE("shrink_commitIndexRegress_dropsEveryRequest") {
    const Trace input = sweepFailure(raft::Bug::CommitIndexRegress, 1);
    REQUIRE(input.events.size() == 235);
    const ShrinkResult out = shrink(input);
    checkShrunk(input, out);
    CHECK(out.trace.options.nodes == 2);
    CHECK(out.trace.script.requests.empty());
    CHECK(out.trace.events.size() <= 24);
}

// A request invoked before the first election bounced between followers until a leader
// took it; shrinking invokes it when it can reach the leader, without the choices its
// retries drew. 108 events before, 19 after when this was written (31 before).
TEST_CASE("shrink_requestBeforeTheFirstLeader_isInvokedLater_andNoLongerBounces") {
    const Trace input = sweepFailure(raft::Bug::TruncateOnStaleAppend, 5);
    REQUIRE(input.events.size() == 108);
    const ShrinkResult out = shrink(input);
    checkShrunk(input, out);
    CHECK(out.trace.events.size() <= 19);
    REQUIRE(out.trace.script.requests.size() == 1);
    for (const sim::EventRecord& e : out.trace.events) {
        if (e.kind != sim::EventKind::ClientArrive) continue;
        CHECK(e.up);
        CHECK(e.role == raft::Role::Leader);
    }
}

TEST_CASE("shrink_recordsTheOwnerOfEveryClientChoice") {
    const detail::Run run = detail::execute(failing(raft::Bug::VoteNoLogCheck, 3));
    const sim::ChoiceTape& tape = run.trace.script.tapes[sim::kClientChoices];
    REQUIRE(run.clientDraws.size() == tape.size());
    std::vector<std::uint32_t> requests(3, 0);
    for (const sim::ClientStep& r : run.trace.script.requests) requests.at(static_cast<std::size_t>(r.client)) += 1;
    for (std::size_t c = 0; c < requests.size(); ++c) {
        CHECK(run.clientDraws.at(c).client == static_cast<int>(c));  // the initial targets
        CHECK(run.clientDraws.at(c).seq == 0);
    }
    for (const sim::ClientDraw& d : run.clientDraws) CHECK(d.seq <= requests.at(static_cast<std::size_t>(d.client)));
}

// The cut of the network tape into messages follows what the network drew: as many
// drop, duplicate and reorder decisions came out 1 as the run counted.
TEST_CASE("shrink_messageBlocks_matchTheNetworkCounts") {
    const sim::SimOptions options = testing::withBug(testing::busyOptions(3), raft::Bug::VoteNoLogCheck);
    sim::RunResult result;
    const Trace t = record(options, 3, {}, &result);
    REQUIRE(t.verdict.has_value());
    REQUIRE(t.verdict->timeUs < options.safetyPhaseUs);  // the network was never calmed
    const sim::ChoiceTape& tape = t.script.tapes[sim::kNetworkChoices];
    const std::vector<detail::Block> blocks = detail::messageBlocks(tape, options.faults);
    std::uint64_t dropped = 0, duplicated = 0, reordered = 0;
    std::size_t next = 0;
    for (const detail::Block& b : blocks) {
        REQUIRE(b.begin == next);
        next = b.end;
        const std::size_t size = b.end - b.begin;  // drop, latency, reorder [delay], duplicate [copy]
        if (tape[b.begin] == 1) ++dropped;
        if (size == 1) continue;
        if (tape[b.begin + 2] == 1) ++reordered;
        const std::size_t dup = b.begin + (tape[b.begin + 2] == 1 ? 4 : 3);
        if (tape[dup] == 1) {
            ++duplicated;
            if (tape[dup + 2] == 1) ++reordered;
        }
    }
    CHECK(next == tape.size());
    CHECK(dropped == result.stats.network.dropped);
    CHECK(duplicated == result.stats.network.duplicated);
    CHECK(reordered == result.stats.network.reordered);
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

// With membership changes the spare hosts come after the nodes. A smaller cluster moves
// them down with their timer tapes, and keeps the operator's membership tape, so the
// changes that made the failure still happen: the failure shrinks to fewer nodes.
TEST_CASE("shrink_membershipFailure_reachesFewerNodes_keepingTheSparesAndTheOperator") {
    sim::SimOptions o = testing::busyOptions(2);
    o.nodes = 4;
    o.bugs.enable(raft::Bug::RemovedLeaderStays);
    const Trace input = record(o, 2);
    REQUIRE(input.verdict.has_value());
    const ShrinkResult out = shrink(input, ShrinkOptions{.maxRuns = 5000});
    checkShrunk(input, out);
    CHECK(out.trace.options.nodes < 4);
    const std::vector<sim::ChoiceTape>& tapes = out.trace.script.tapes;
    REQUIRE(tapes.size() == sim::Script::tapeCount(sim::hostCount(out.trace.options)) + 1);
    CHECK_FALSE(tapes.back().empty());  // the operator's changes
}

}  // namespace traces
