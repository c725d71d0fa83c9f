// Reads and leadership transfer in the model (Bounds::reads, Bounds::transfers, thesis
// §6.4 and §3.10): the correct core holds read freshness and the transfer properties
// (the presets reads3 and transfer3), and each bug switch that lives in them yields a shortest counterexample that replays
// from its JSON trace to the same property.
#include <doctest/doctest.h>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/model.hpp"
#include "sim/mc/tests/helpers.hpp"

using mc::Bounds;
using mc::Event;
using mc::EventKind;
using mc::SearchResult;
using mc::test::bfs;
using mc::test::checkHeld;
using mc::test::preset;
using mc::test::withBug;

namespace {

Bounds readBounds(int nodes, int maxTerm, int maxLog) {
    Bounds b;
    b.nodes = nodes;
    b.maxTerm = maxTerm;
    b.maxLog = maxLog;
    b.values = 0;
    b.reads = 1;
    return b;
}

Bounds transferBounds(int maxTerm) {
    Bounds b;
    b.nodes = 2;
    b.maxTerm = maxTerm;
    b.maxLog = 2;
    b.transfers = 1;
    return b;
}

// The counterexample's JSON trace re-executes to the same property.
void checkReplays(const Bounds& b, const mc::Counterexample& cex) {
    const mc::ModelTrace path = mc::fromJson(nlohmann::json::parse(mc::toJson(b, cex).dump()));
    const std::optional<mc::McViolation> v = mc::replayPath(path);
    REQUIRE(v.has_value());
    CHECK(v->property == cex.violation.property);
}

int countKind(const std::vector<Event>& events, EventKind kind) {
    int n = 0;
    for (const Event& e : events) n += e.kind == kind ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("reads_boundsOff_noNewEvents_and_boundsOn_readsAtEveryNode") {
    mc::Model off(preset("elect3"));
    std::vector<Event> events;
    off.enabled(off.initial(), events);
    CHECK(countKind(events, EventKind::Read) == 0);
    CHECK(countKind(events, EventKind::Transfer) == 0);
    mc::Model on(preset("reads3"));
    on.enabled(on.initial(), events);
    CHECK(countKind(events, EventKind::Read) == 3);
    CHECK(countKind(events, EventKind::Transfer) == 0);  // no leader yet
}

TEST_CASE("reads_presets_holdWithGoldenCounts") {
    const SearchResult reads = bfs(preset("reads3"));
    checkHeld(reads);
    CHECK(reads.states == 1516464);
    const SearchResult transfer = bfs(preset("transfer3"));
    checkHeld(transfer);
    CHECK(transfer.states == 650165);
}

TEST_CASE("reads_bugSwitches_shortestCounterexamples") {
    using raft::Bug;
    struct Case {
        Bug bug;
        Bounds bounds;
        const char* property;
        std::size_t steps;
    };
    const Case cases[] = {
        {Bug::ReadWithoutQuorum, readBounds(3, 2, 1), "read-freshness", 9},
        {Bug::ReadIndexBeforeTermCommit, readBounds(3, 2, 2), "read-freshness", 11},
        {Bug::FollowerReadBeforeApply, readBounds(3, 1, 1), "read-freshness", 10},
        {Bug::ProposeDuringTransfer, transferBounds(2), "transfer-refuses-proposals", 5},
        {Bug::StaleTimeoutNow, transferBounds(3), "timeout-now-current-term", 8},
    };
    for (const Case& c : cases) {
        CAPTURE(raft::bugInfo(c.bug).name);
        const Bounds b = withBug(c.bounds, c.bug);
        const SearchResult r = bfs(b);
        REQUIRE(r.counterexample.has_value());
        CHECK(r.counterexample->violation.property == std::string(c.property));
        CHECK(r.counterexample->steps.size() == c.steps);
        checkReplays(b, *r.counterexample);
    }
}

// One node: its own majority. A read after its no-op commits records floor 1 and is served
// within the step (no read left waiting), from a state machine applied that far.
TEST_CASE("reads_loneLeader_recordsFloorAndServesAtOnce") {
    Bounds b;
    b.nodes = 1;
    b.maxTerm = 1;
    b.maxLog = 1;
    b.values = 0;
    b.reads = 2;
    mc::Model m(b);
    mc::State s = m.initial();
    mc::State next;
    REQUIRE(m.step(s, Event{.kind = EventKind::Timeout, .node = 0, .timer = raft::Timer::Election}, next).inBounds);
    s = next;
    REQUIRE(m.node(s, 0).role() == raft::Role::Leader);
    REQUIRE(m.node(s, 0).commitIndex() == 1);
    const mc::StepResult r = m.step(s, Event{.kind = EventKind::Read, .node = 0, .value = 1}, next);
    CHECK(r.inBounds);
    CHECK_FALSE(r.violation.has_value());
    CHECK(next.reads == 1);
    CHECK(next.readFloor[0] == 1);
    CHECK(m.node(next, 0).pendingReads().empty());
    CHECK(m.node(next, 0).lastApplied() == 1);
}

// The rule itself: an answer from a state machine applied below the floor is stale.
TEST_CASE("reads_rule_answerBelowFloorViolatesReadFreshness") {
    raft::Config c;
    c.id = 1;
    c.clusterSize = 3;
    const raft::Node fresh(c);  // applied 0
    CHECK_FALSE(mc::checkRead(fresh, 1, 0, 0).has_value());
    const std::optional<mc::McViolation> v = mc::checkRead(fresh, 1, 2, 1);
    REQUIRE(v.has_value());
    CHECK(v->property == "read-freshness");
    CHECK(v->details ==
          "node 1 answered read 1 at read index 2 with its state machine applied to 0, but index 1 was "
          "committed before the read was invoked");
}
