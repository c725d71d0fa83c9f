// Membership changes and snapshots in the model (Bounds::spares, Bounds::configChanges,
// Bounds::snapshots; thesis §4.1-§4.3, §5.1-§5.3): with the bounds at 0 nothing changes;
// the membership preset holds with its golden count, and fails with removed-leader-stays;
// a leader that removes itself steps down once the change commits; a snapshot reaches a
// follower left behind; and the configuration-safety rule rejects two uncommitted
// configurations in a leader's log.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "core/membership.hpp"
#include "sim/mc/cex_json.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/model.hpp"
#include "sim/mc/tests/helpers.hpp"

using mc::Bounds;
using mc::Event;
using mc::EventKind;
using mc::SearchResult;
using mc::State;
using mc::test::bfs;
using mc::test::checkHeld;
using mc::test::preset;
using mc::test::withBug;

namespace {

int countKind(const std::vector<Event>& events, EventKind kind) {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.kind == kind; }));
}

// Fires `e` in `s`, which must be enabled, in bounds and violate nothing.
void fire(mc::Model& m, State& s, const Event& e) {
    std::vector<Event> events;
    m.enabled(s, events);
    const bool enabled = std::any_of(events.begin(), events.end(), [&](const Event& x) {
        return x.kind == e.kind && x.node == e.node && x.timer == e.timer && x.value == e.value && x.msg == e.msg;
    });
    CAPTURE(m.describe(e));
    REQUIRE(enabled);
    State next;
    const mc::StepResult r = m.step(s, e, next);
    REQUIRE(r.inBounds);
    if (r.violation) FAIL(r.violation->property, ": ", r.violation->details);
    s = next;
}

// Delivers, oldest in the bag's order first, every message `among` lets through, until
// none is left.
void settle(mc::Model& m, State& s, const std::function<bool(const raft::Message&)>& among) {
    for (int steps = 0; steps < 200; ++steps) {
        const auto it = std::find_if(s.bag.begin(), s.bag.end(),
                                     [&](const mc::BagItem& b) { return among(m.message(b.msg)); });
        if (it == s.bag.end()) return;
        const raft::Message& msg = m.message(it->msg);
        fire(m, s, Event{.kind = EventKind::Deliver, .node = msg.to, .msg = it->msg});
    }
    FAIL("messages keep coming");
}

bool all(const raft::Message&) { return true; }

Event timeout(raft::NodeId node, raft::Timer timer = raft::Timer::Election) {
    return Event{.kind = EventKind::Timeout, .node = node, .timer = timer};
}

// Node 0 elected by everyone, its no-op committed everywhere.
State leaderZero(mc::Model& m) {
    State s = m.initial();
    fire(m, s, timeout(0));
    settle(m, s, all);
    REQUIRE(m.node(s, 0).role() == raft::Role::Leader);
    REQUIRE(m.node(s, 0).commitIndex() == 1);
    return s;
}

}  // namespace

TEST_CASE("membership_boundsOff_noNewEventsAndCountsKept") {
    mc::Model off(preset("tla-small"));
    std::vector<Event> events;
    off.enabled(off.initial(), events);
    CHECK(countKind(events, EventKind::Change) == 0);
    CHECK(countKind(events, EventKind::Snapshot) == 0);
    const Bounds tiny = preset("tiny");
    CHECK(tiny.servers() == tiny.nodes);
    CHECK(tiny.describe().find("spares") == std::string::npos);
    // The golden counts of search_tests, with the new bounds at 0 given explicitly.
    Bounds zero = preset("tiny");
    zero.spares = 0;
    zero.configChanges = 0;
    zero.snapshots = 0;
    const SearchResult r = bfs(zero);
    checkHeld(r);
    CHECK(r.states == 3327);
    CHECK(r.transitions == 11877);
    zero.maxCrashes = 1;  // durable states hash their snapshot only when there is one
    CHECK(bfs(zero).states == 14811);
}

TEST_CASE("membership_preset_holdsWithGoldenCount") {
    const Bounds b = preset("membership");
    CHECK(b.servers() == 2);
    const mc::Model m(b);
    CHECK(m.perms().size() == 1);  // one initial voter, and the spare is never renamed
    const SearchResult r = bfs(b);
    if (r.counterexample) {
        std::string path;
        for (const mc::PathStep& step : r.counterexample->steps) path += step.text + "\n";
        FAIL(r.counterexample->violation.property, ": ", r.counterexample->violation.details, "\n", path);
    }
    checkHeld(r);
    CHECK(r.states == 109383);
}

// Thesis §4.2.2: the leader adds the spare, then removes itself; with the bug it leads on
// once the removal commits. The shortest path: elect, add and catch up (8 steps), remove
// and commit (3).
TEST_CASE("membership_removedLeaderStays_violatesWithShortestCounterexample") {
    const SearchResult r = bfs(withBug(preset("membership"), raft::Bug::RemovedLeaderStays));
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "removed-leader-steps-down");
    CHECK(r.counterexample->steps.size() == 11);
    CHECK(r.counterexample->violation.details.find("leader 0 of term 1 still leads after the configuration at 3") == 0);
}

// Thesis §4.2.1: with learner-counted-in-quorum the leader commits its configuration
// entry on its own acknowledgement and the new learner's, so two voters that lack it can
// elect one of them. Two voters cannot show it: the one that lacks the entry needs the
// leader's vote.
TEST_CASE("membership3_learnerCountedInQuorum_violatesCommitQuorum") {
    const SearchResult r = bfs(withBug(preset("membership3"), raft::Bug::LearnerCountedInQuorum));
    REQUIRE(r.counterexample.has_value());
    CHECK(r.counterexample->violation.property == "commit-quorum");
    CHECK(r.counterexample->steps.size() == 10);
    CHECK(r.counterexample->steps[5].text == "change add-learner 3 at node 0");
}

// membership3 does not exhaust in minutes (over 86 million states); its first two million
// hold and are pinned, as tla-small's are (search_tests.cpp).
TEST_CASE("membership3_preset_firstStatesHoldAndArePinned") {
    const Bounds b = preset("membership3");
    CHECK(b.servers() == 4);
    mc::SearchOptions o;
    o.jobs = 1;
    o.maxStates = 2'000'000;
    const SearchResult r = mc::search(b, o);
    CHECK_FALSE(r.complete);
    CHECK_FALSE(r.counterexample.has_value());
    CHECK(r.sawLeader);
    CHECK(r.sawCommit);
    CHECK(r.transitions == 6827127);
    CHECK(r.depth == 18);
}

// The cluster of three growing to four and shrinking back, with a learner on the
// way: over FIFO links it exhausts; with a bag it does not (sim/mc/bounds.cpp).
TEST_CASE("membershipGrow_preset_exhaustsAndHoldsWithGoldenCount") {
    const Bounds b = preset("membership-grow");
    CHECK(b.servers() == 4);
    CHECK(b.fifo);
    CHECK(mc::Model(b).perms().size() == 6);
    const SearchResult r = bfs(b);
    checkHeld(r);
    CHECK(r.states == 13962804);
}

TEST_CASE("membership_spareStartsOutside_and_leaderOffersChanges") {
    Bounds b;
    b.nodes = 3;
    b.spares = 1;
    b.maxLog = 3;
    b.values = 0;
    b.configChanges = 2;
    mc::Model m(b);
    State s = leaderZero(m);
    CHECK(m.node(s, 3).membership().members() == 0);  // the spare: in no configuration
    CHECK(m.node(s, 0).membership().voters == 0b0111);
    std::vector<Event> events;
    m.enabled(s, events);
    // Add 3 as voter or learner; demote or remove each of 0, 1, 2.
    CHECK(countKind(events, EventKind::Change) == 8);
}

// Symmetry renames the initial voters and never the spare; a configuration names servers,
// so removing follower 1 and removing follower 2 are one state renamed, in the log, the
// committed history and a snapshot alike; removing the leader itself is another.
TEST_CASE("membership_symmetry_renamesConfigurationsAndKeepsTheSpare") {
    for (const bool symmetry : {true, false}) {
        CAPTURE(symmetry);
        Bounds b = preset("membership3");  // 3 voters and a spare, term 1, log 2, one change
        b.snapshots = 1;
        b.symmetry = symmetry;
        mc::Model m(b);
        CHECK(m.perms().size() == (symmetry ? 6u : 1u));  // 3! orders of 0, 1, 2; 3 stays
        // Node 0 elected with `first`'s vote, then `second`'s, then everything delivered;
        // then `server` removed.
        auto removed = [&](raft::NodeId first, raft::NodeId second, raft::NodeId server) {
            State s = m.initial();
            fire(m, s, timeout(0));
            for (const raft::NodeId voter : {first, second}) {
                settle(m, s, [&](const raft::Message& msg) {
                    return (msg.kind == raft::MsgKind::RequestVote && msg.to == voter) ||
                           (msg.kind == raft::MsgKind::RequestVoteResponse && msg.from == voter);
                });
            }
            settle(m, s, all);
            REQUIRE(m.node(s, 0).role() == raft::Role::Leader);
            fire(m, s, Event{.kind = EventKind::Change, .node = 0,
                             .value = mc::packChange(raft::ChangeKind::RemoveServer, server)});
            settle(m, s, all);
            REQUIRE(m.node(s, 0).commitIndex() == 2);
            return s;
        };
        const State one = removed(1, 2, 1);
        const State two = removed(2, 1, 2);
        CHECK(m.node(one, 0).membership().voters == 0b0101);
        CHECK(m.node(two, 0).membership().voters == 0b0011);
        CHECK((m.fingerprint(one) == m.fingerprint(two)) == symmetry);
        CHECK(m.fingerprint(one) != m.fingerprint(removed(1, 2, 2)));  // not the voter it heard first
        CHECK(m.fingerprint(one) != m.fingerprint(removed(1, 2, 0)));  // nor itself
        State snapOne = one;
        State snapTwo = two;
        fire(m, snapOne, Event{.kind = EventKind::Snapshot, .node = 0, .value = 2});
        fire(m, snapTwo, Event{.kind = EventKind::Snapshot, .node = 0, .value = 2});
        CHECK(m.node(snapOne, 0).snapshot().meta.voters == 0b0101);
        CHECK((m.fingerprint(snapOne) == m.fingerprint(snapTwo)) == symmetry);
        CHECK(m.fingerprint(snapOne) != m.fingerprint(one));
    }
}

TEST_CASE("membership_leaderRemovesItself_stepsDownOnceCommitted") {
    Bounds b;
    b.nodes = 3;
    b.maxTerm = 2;
    b.maxLog = 3;
    b.values = 0;
    b.configChanges = 1;
    mc::Model m(b);
    State s = leaderZero(m);
    fire(m, s, Event{.kind = EventKind::Change, .node = 0, .value = mc::packChange(raft::ChangeKind::RemoveServer, 0)});
    CHECK(s.configChanges == 1);
    CHECK(m.node(s, 0).membership().voters == 0b0110);  // in use once appended
    CHECK(m.node(s, 0).role() == raft::Role::Leader);   // still leading until it commits
    settle(m, s, all);
    CHECK(m.node(s, 0).commitIndex() == 2);
    CHECK(m.node(s, 0).role() == raft::Role::Follower);
    CHECK(m.node(s, 0).currentTerm() == 1);
    // The others elect a leader among themselves, in the next term.
    fire(m, s, timeout(1));
    settle(m, s, all);
    CHECK(m.node(s, 1).role() == raft::Role::Leader);
    CHECK(m.node(s, 1).currentTerm() == 2);
    CHECK(m.node(s, 1).commitIndex() == 3);  // its no-op, by a majority of {1, 2}
    CHECK(m.node(s, 0).role() == raft::Role::Follower);
}

TEST_CASE("membership_snapshot_installedOnLaggingFollower") {
    Bounds b;
    b.nodes = 3;
    b.maxTerm = 1;
    b.maxLog = 2;
    b.snapshots = 1;
    mc::Model m(b);
    State s = m.initial();
    auto notTwo = [](const raft::Message& msg) { return msg.to != 2 && msg.from != 2; };
    fire(m, s, timeout(0));
    settle(m, s, notTwo);
    fire(m, s, Event{.kind = EventKind::Client, .node = 0, .value = 1});
    settle(m, s, notTwo);
    REQUIRE(m.node(s, 0).lastApplied() == 2);
    CHECK(m.node(s, 2).log().lastIndex() == 0);  // left behind
    fire(m, s, Event{.kind = EventKind::Snapshot, .node = 0, .value = 2});
    CHECK(s.snapshots == 1);
    CHECK(m.node(s, 0).log().snapshotIndex() == 2);
    // What was sent to node 2 before arrives, then the leader's next heartbeat.
    settle(m, s, all);
    fire(m, s, timeout(0, raft::Timer::Heartbeat));
    settle(m, s, all);
    const raft::Node& lagging = m.node(s, 2);
    CHECK(lagging.snapshot().meta.lastIncludedIndex == 2);
    CHECK(lagging.snapshot().hash == m.node(s, 0).snapshot().hash);
    CHECK(lagging.commitIndex() == 2);
    CHECK(lagging.log().lastIndex() == 2);
}

TEST_CASE("snapshot_preset_holdsWithGoldenCount") {
    const SearchResult r = bfs(preset("snapshot"));
    checkHeld(r);
    CHECK(r.states == 13049);  // 26,094 without symmetry
}

TEST_CASE("membership_modelTrace_roundTripsNewBounds") {
    Bounds b = preset("membership");
    b.snapshots = 1;
    const mc::ModelTrace t{.bounds = b};
    const mc::ModelTrace back = mc::fromJson(nlohmann::json::parse(mc::toJson(t).dump()));
    CHECK(back.bounds.spares == 1);
    CHECK(back.bounds.configChanges == 2);
    CHECK(back.bounds.snapshots == 1);
    const nlohmann::json old = nlohmann::json::parse(mc::toJson(mc::ModelTrace{.bounds = preset("elect3")}).dump());
    CHECK_FALSE(old["bounds"].contains("spares"));
    CHECK_FALSE(old["bounds"].contains("configChanges"));
    CHECK_FALSE(old["bounds"].contains("snapshots"));
}

// ---- the configuration-safety rule, given a leader it must reject ----

namespace {

// A leader as the rules read it: a log of entry kinds, from index 1.
struct FakeLeader {
    std::vector<raft::EntryKind> log;
};

}  // namespace

template <>
struct mc::NodeRead<FakeLeader> {
    static raft::NodeId id(const FakeLeader&) { return 0; }
    static raft::Term term(const FakeLeader&) { return 2; }
    static raft::Index lastIndex(const FakeLeader& n) { return n.log.size(); }
    static raft::Index base(const FakeLeader&) { return 0; }
    static bool isConfiguration(const FakeLeader& n, raft::Index i) {
        return n.log[i - 1] == raft::EntryKind::Configuration;
    }
};

TEST_CASE("membership_rule_twoUncommittedConfigurationsViolate") {
    using raft::EntryKind;
    const FakeLeader leader{{EntryKind::Noop, EntryKind::Configuration, EntryKind::Configuration}};
    State history;
    const std::optional<mc::McViolation> v = mc::rules::checkConfigurations(leader, history);
    REQUIRE(v.has_value());
    CHECK(v->property == "configuration-safety");
    CHECK(v->details == "leader 0 of term 2 holds configuration entries at 2 and 3, neither committed");
    // Once some node committed the first, the second may follow it.
    history.committed[2] = mc::Committed::pack(1, 1);
    CHECK_FALSE(mc::rules::checkConfigurations(leader, history).has_value());
    const FakeLeader one{{EntryKind::Noop, EntryKind::Configuration, EntryKind::Command}};
    CHECK_FALSE(mc::rules::checkConfigurations(one, State{}).has_value());
}
