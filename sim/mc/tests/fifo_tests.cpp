// FIFO links (Bounds::fifo): each directed link delivers in the order it sent, as a TCP
// stream does. Only the oldest message on a link may arrive; one behind it moves up
// once it is delivered or dropped; the reductions still hold, and the same bugs are
// found in fewer states.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/mc/audit.hpp"
#include "sim/mc/cex_json.hpp"
#include "sim/mc/model.hpp"
#include "sim/mc/tests/helpers.hpp"

using mc::Bounds;
using mc::Event;
using mc::EventKind;
using mc::Model;
using mc::State;
using mc::test::bfs;
using mc::test::checkHeld;
using mc::test::preset;
using mc::test::withBug;

namespace {

State fire(Model& m, const State& s, const Event& e) {
    State next;
    const mc::StepResult r = m.step(s, e, next);
    REQUIRE(r.inBounds);
    REQUIRE_FALSE(r.violation.has_value());
    return next;
}

// The message in flight from `from` to `to` of kind `kind`.
std::uint32_t inFlight(const Model& m, const State& s, raft::NodeId from, raft::NodeId to, raft::MsgKind kind) {
    for (const mc::BagItem& item : s.bag) {
        const raft::Message& msg = m.message(item.msg);
        if (msg.from == from && msg.to == to && msg.kind == kind) return item.msg;
    }
    FAIL("no such message in flight");
    return 0;
}

bool deliverable(Model& m, const State& s, std::uint32_t msg) {
    std::vector<Event> events;
    m.enabled(s, events);
    return std::any_of(events.begin(), events.end(),
                       [&](const Event& e) { return e.kind == EventKind::Deliver && e.msg == msg; });
}

// Node 0 campaigns and wins with node 1's vote: on the link 0->2 its RequestVote is
// followed by its first AppendEntries.
State voteThenAppendOnOneLink(Model& m) {
    State s = fire(m, m.initial(), Event{.kind = EventKind::Timeout, .node = 0});
    const std::uint32_t vote = inFlight(m, s, 0, 1, raft::MsgKind::RequestVote);
    s = fire(m, s, Event{.kind = EventKind::Deliver, .node = 1, .msg = vote});
    const std::uint32_t granted = inFlight(m, s, 1, 0, raft::MsgKind::RequestVoteResponse);
    s = fire(m, s, Event{.kind = EventKind::Deliver, .node = 0, .msg = granted});
    REQUIRE(m.node(s, 0).role() == raft::Role::Leader);
    return s;
}

Bounds fifo(Bounds b) {
    b.fifo = true;
    return b;
}

}  // namespace

TEST_CASE("fifo_onlyTheOldestMessageOnALinkArrives_theNextMovesUp") {
    for (const bool ordered : {true, false}) {
        CAPTURE(ordered);
        Bounds b;
        b.fifo = ordered;
        b.drop = true;
        Model m(b);
        const State s = voteThenAppendOnOneLink(m);
        const std::uint32_t vote = inFlight(m, s, 0, 2, raft::MsgKind::RequestVote);
        const std::uint32_t append = inFlight(m, s, 0, 2, raft::MsgKind::AppendEntries);
        CHECK(deliverable(m, s, vote));
        CHECK(deliverable(m, s, append) == !ordered);  // behind the vote on its link
        CHECK(deliverable(m, s, inFlight(m, s, 0, 1, raft::MsgKind::AppendEntries)));  // another link
        const State delivered = fire(m, s, Event{.kind = EventKind::Deliver, .node = 2, .msg = vote});
        CHECK(deliverable(m, delivered, append));
        const State dropped = fire(m, s, Event{.kind = EventKind::Drop, .node = 2, .msg = vote});
        CHECK(deliverable(m, dropped, append));
    }
}

TEST_CASE("fifo_boundsRefuseDuplicatesAndCopies") {
    Bounds b;
    b.fifo = true;
    CHECK(b.validate().empty());
    b.duplicate = true;
    CHECK_FALSE(b.validate().empty());
    b.duplicate = false;
    b.maxCopies = 2;
    CHECK(b.validate() == "fifo links carry one copy of a message: no duplicate, max copies 1");
    CHECK(b.describe().find("--fifo") != std::string::npos);
}

TEST_CASE("fifo_reductionsPassTheirAudit") {
    const Bounds b = fifo(Bounds{});
    CHECK(mc::auditSymmetry(b).empty());
    CHECK(mc::auditDeadMessages(b).empty());
    const Model m(b);
    CHECK(m.refusals().empty());
    CHECK(m.perms().size() == 6);
}

// Every order a FIFO link allows, a bag allows too: fewer states, the same verdicts.
TEST_CASE("fifo_fewerStates_sameVerdicts") {
    const Bounds elect3 = preset("elect3");
    const mc::SearchResult bag = bfs(elect3);
    const mc::SearchResult ordered = bfs(fifo(elect3));
    checkHeld(ordered);
    CHECK(ordered.states < bag.states);
    for (const raft::Bug bug : {raft::Bug::VoteNoLogCheck, raft::Bug::StaleVoteCounted}) {
        CAPTURE(raft::bugInfo(bug).name);
        const mc::SearchResult r = bfs(withBug(fifo(elect3), bug));
        REQUIRE(r.counterexample.has_value());
        const mc::SearchResult unordered = bfs(withBug(elect3, bug));
        REQUIRE(unordered.counterexample.has_value());
        CHECK(r.counterexample->violation.property == unordered.counterexample->violation.property);
        CHECK(r.counterexample->steps.size() >= unordered.counterexample->steps.size());
    }
}

TEST_CASE("fifo_modelTrace_recordsTheBound") {
    const mc::ModelTrace t{.bounds = fifo(Bounds{})};
    const nlohmann::json j = nlohmann::json::parse(mc::toJson(t).dump());
    CHECK(j["bounds"]["fifo"] == true);
    CHECK(mc::fromJson(j).bounds.fifo);
    const nlohmann::json plain = nlohmann::json::parse(mc::toJson(mc::ModelTrace{}).dump());
    CHECK_FALSE(plain["bounds"].contains("fifo"));
}
