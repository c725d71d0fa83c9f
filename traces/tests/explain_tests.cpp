// The explainer against the core: over seeded random walks of the model, with and
// without every bug switch, the answer an explanation predicts for a delivered message
// is the one the node really sends (granted or refused, accepted or rejected, none).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <fmt/format.h>

#include "core/bugs.hpp"
#include "sim/mc/model.hpp"
#include "sim/rng.hpp"
#include "traces/explain.hpp"
#include "traces/stepper.hpp"
#include "traces/tests/helpers.hpp"
#include "traces/trace.hpp"

#include <sstream>

namespace {

traces::Answer actual(const raft::Node& before, const raft::Message& m) {
    raft::Node n = before;
    raft::Actions actions;
    n.step(raft::Receive{m}, actions);
    for (const raft::Action& a : actions) {
        const auto* send = std::get_if<raft::Send>(&a);
        if (send == nullptr || send->message.to != m.from) continue;
        if (send->message.kind == raft::MsgKind::RequestVoteResponse && m.kind == raft::MsgKind::RequestVote) {
            return send->message.success ? traces::Answer::Granted : traces::Answer::Refused;
        }
        if (send->message.kind == raft::MsgKind::PreVoteResponse && m.kind == raft::MsgKind::PreVote) {
            return send->message.success ? traces::Answer::Granted : traces::Answer::Refused;
        }
        if (send->message.kind == raft::MsgKind::AppendEntriesResponse && m.kind == raft::MsgKind::AppendEntries) {
            return send->message.success ? traces::Answer::Accepted : traces::Answer::Rejected;
        }
    }
    return traces::Answer::None;
}

mc::Bounds walkBounds(const raft::BugSet& bugs, bool checkQuorum) {
    mc::Bounds b;
    b.nodes = 3;
    b.maxTerm = 5;
    b.maxLog = 5;
    b.maxCopies = 2;
    b.maxCrashes = 3;
    b.drop = true;
    b.duplicate = true;
    b.values = 2;
    b.symmetry = false;
    b.dropDead = false;
    b.checkQuorum = checkQuorum;
    b.bugs = bugs;
    return b;
}

struct Tally {
    int checked = 0;
    int votes = 0;
    int appends = 0;
    int rejected = 0;
    int elected = 0;
};

void walk(const mc::Bounds& bounds, std::uint64_t seed, Tally& tally) {
    mc::Model model(bounds);
    sim::Rng rng(seed);
    for (int w = 0; w < 60; ++w) {
        mc::State s = model.initial();
        std::vector<mc::Event> enabled;
        for (int k = 0; k < 80; ++k) {
            model.enabled(s, enabled);
            if (enabled.empty()) break;
            // Deliveries twice as likely as the rest, so elections and appends happen.
            const mc::Event e = enabled[rng.below(enabled.size())];
            if (e.kind == mc::EventKind::Deliver) {
                const raft::Message& m = model.message(e.msg);
                const raft::Node& before = model.node(s, m.to);
                const traces::Why why = traces::explainReceive(before, m);
                const traces::Answer real = actual(before, m);
                INFO(fmt::format("{} at n{} t{}: {}", mc::describe(m), m.to, before.currentTerm(), why.text));
                REQUIRE(static_cast<int>(why.answer) == static_cast<int>(real));
                ++tally.checked;
                tally.votes += m.kind == raft::MsgKind::RequestVote ? 1 : 0;
                tally.appends += m.kind == raft::MsgKind::AppendEntries ? 1 : 0;
                tally.rejected += real == traces::Answer::Rejected || real == traces::Answer::Refused ? 1 : 0;
            }
            mc::State next;
            const mc::StepResult r = model.step(s, e, next);
            if (!r.inBounds || r.violation) break;
            if (e.kind == mc::EventKind::Deliver && model.message(e.msg).kind == raft::MsgKind::RequestVoteResponse) {
                // "becomes leader" is said exactly when the model's step made it one.
                const raft::Message& m = model.message(e.msg);
                const bool said = traces::explainReceive(model.node(s, m.to), m).text.ends_with("becomes leader");
                const bool did = model.node(s, m.to).role() != raft::Role::Leader && model.node(next, m.to).role() == raft::Role::Leader;
                CHECK(said == did);
                tally.elected += did ? 1 : 0;
            }
            s = std::move(next);
        }
    }
}

}  // namespace

TEST_CASE("explain: the predicted answer is the core's, over random walks, with every bug switch") {
    Tally tally;
    walk(walkBounds({}, false), 1, tally);
    walk(walkBounds({}, true), 2, tally);
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        raft::BugSet bugs;
        bugs.enable(info.bug);
        walk(walkBounds(bugs, false), 3 + static_cast<std::uint64_t>(info.bug), tally);
        // Four nodes: a quorum of three, where a vote counted twice can make a leader.
        mc::Bounds four = walkBounds(bugs, false);
        four.nodes = 4;
        walk(four, 100 + static_cast<std::uint64_t>(info.bug), tally);
    }
    CHECK(tally.checked > 10'000);
    CHECK(tally.votes > 1'000);
    CHECK(tally.appends > 1'000);
    CHECK(tally.rejected > 500);
    CHECK(tally.elected > 100);
}

TEST_CASE("explain: the rules' words and values") {
    raft::Config c;
    c.id = 1;
    raft::Node n(c);
    raft::Message vote{};
    vote.kind = raft::MsgKind::RequestVote;
    vote.from = 0;
    vote.to = 1;
    vote.term = 1;
    CHECK(traces::explainReceive(n, vote).text == "adopts term 1 (was t0); granted: log (0,t0) is at least as up to date as ours (0,t0)");
    n.step(raft::Receive{vote});
    vote.from = 2;
    CHECK(traces::explainReceive(n, vote).text == "refused: already voted for 0 in term 1");
    vote.term = 0;
    CHECK(traces::explainReceive(n, vote).text == "refused: stale term 0 < our term 1");
    raft::Message app{};
    app.kind = raft::MsgKind::AppendEntries;
    app.from = 0;
    app.to = 1;
    app.term = 1;
    app.prevLogIndex = 2;
    app.prevLogTerm = 1;
    CHECK(traces::explainReceive(n, app).text == "rejected: no entry at prevLogIndex 2 (our log ends at 0)");
}

namespace {

// The lines printed under each event or step, keyed by its first line's prefix.
std::vector<std::vector<std::string>> blocks(const std::string& text, const std::string& head) {
    std::vector<std::vector<std::string>> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(head)) out.emplace_back();
        if (!out.empty()) out.back().push_back(line);
    }
    return out;
}

}  // namespace

TEST_CASE("explain: replay --steps of a simulator trace says why at every vote and append delivered") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        const traces::Trace t = traces::record(traces::testing::busyOptions(seed), seed);
        std::ostringstream out;
        (void)traces::rerun(t, traces::simStepper(out));
        const auto events = blocks(out.str(), "event ");
        REQUIRE(events.size() == t.events.size());
        int explained = 0;
        for (std::size_t k = 0; k < t.events.size(); ++k) {
            const sim::EventRecord& e = t.events[k];
            if (e.kind != sim::EventKind::Deliver || !e.stepped) continue;
            INFO(events[k].front());
            REQUIRE(events[k].size() > 1);
            CHECK(events[k][1].starts_with("  why: "));
            ++explained;
            // The delivered message is known whole: a vote's explanation is the vote cast.
            if (e.msgKind != raft::MsgKind::RequestVote) continue;
            const bool saysGranted = events[k][1].find("granted: ") != std::string::npos;
            const std::string self = fmt::format("> n{} ", e.node);
            const auto line = std::find_if(events[k].begin(), events[k].end(),
                                           [&](const std::string& l) { return l.starts_with(self); });
            REQUIRE(line != events[k].end());
            const bool voted = line->find(fmt::format(" t{} vote={} ", e.msgTerm, e.from)) != std::string::npos;
            CHECK(saysGranted == voted);
        }
        CHECK(explained > 50);
    }
}

TEST_CASE("explain: replay --steps of a model trace says why at every delivery, and a commit its quorum") {
    raft::BugSet bugs;
    bugs.enable(raft::Bug::VoteNoLogCheck);
    mc::Bounds b = walkBounds(bugs, false);
    mc::Model model(b);
    // A path: elect 0, then 1 in term 2 with every message delivered in bag order.
    mc::ModelTrace path;
    path.bounds = b;
    mc::State s = model.initial();
    std::vector<mc::Event> enabled;
    for (int k = 0; k < 30; ++k) {
        model.enabled(s, enabled);
        const mc::Event* pick = nullptr;
        for (const mc::Event& e : enabled) {
            if (pick == nullptr && e.kind == mc::EventKind::Deliver) pick = &e;
        }
        for (const mc::Event& e : enabled) {
            if (pick == nullptr && e.kind == mc::EventKind::Timeout) pick = &e;
        }
        REQUIRE(pick != nullptr);
        const mc::Event e = *pick;
        mc::State next;
        model.step(s, e, next);
        path.steps.push_back(mc::PathStep{e, e.kind == mc::EventKind::Deliver ? model.message(e.msg) : raft::Message{}, model.describe(e)});
        path.records.push_back(mc::snapshot(model, next));
        s = std::move(next);
    }
    std::ostringstream out;
    (void)mc::rerun(path, traces::modelStepper(out, path));
    const auto steps = blocks(out.str(), "step ");
    REQUIRE(steps.size() == path.steps.size());
    for (std::size_t k = 0; k < steps.size(); ++k) {
        INFO(steps[k].front());
        if (path.steps[k].event.kind == mc::EventKind::Deliver) CHECK(steps[k][1].starts_with("  why: "));
    }
    CHECK(out.str().find(" commits 1 (1,t1): held by ") != std::string::npos);
}

TEST_CASE("explain: replay --steps of a trace with transfers says why at every transfer and "
          "TimeoutNow, as the core decided (thesis §3.10)") {
    int transfers = 0, accepted = 0, timeoutNows = 0, elections = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        sim::SimOptions o = traces::testing::busyOptions(seed);
        o.transfer = true;
        const traces::Trace t = traces::record(o, seed);
        std::ostringstream out;
        (void)traces::rerun(t, traces::simStepper(out));
        const auto events = blocks(out.str(), "event ");
        REQUIRE(events.size() == t.events.size());
        std::vector<raft::Term> termBefore(static_cast<std::size_t>(o.nodes), 0);
        for (std::size_t k = 0; k < t.events.size(); ++k) {
            const sim::EventRecord& e = t.events[k];
            const bool transfer = e.kind == sim::EventKind::Transfer;
            const bool timeoutNow = e.kind == sim::EventKind::Deliver && e.msgKind == raft::MsgKind::TimeoutNow;
            if (e.stepped && (transfer || timeoutNow)) {
                INFO(events[k].front());
                REQUIRE(events[k].size() > 1);
                REQUIRE(events[k][1].starts_with("  why: "));
                if (transfer) {
                    ++transfers;
                    const bool saysAccepted = events[k][1].find("accepted") != std::string::npos;
                    accepted += saysAccepted ? 1 : 0;
                    if (saysAccepted) CHECK(e.role == raft::Role::Leader);
                    CHECK((events[k][1].find("refused") != std::string::npos) == !saysAccepted);
                } else {
                    ++timeoutNows;
                    const bool says = events[k][1].find("we start an election for term") != std::string::npos;
                    const bool campaigned = e.term > termBefore[e.node] &&
                                            (e.role == raft::Role::Candidate || e.role == raft::Role::Leader);
                    CHECK(says == campaigned);
                    elections += says ? 1 : 0;
                }
            }
            if (e.node != raft::kNoNode && e.up) termBefore[e.node] = e.term;
        }
    }
    CHECK(transfers > 10);
    CHECK(accepted > 3);
    CHECK(timeoutNows > 3);
    CHECK(elections > 3);
}
