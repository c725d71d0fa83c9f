// The interactive stepper's engine: choices that always run, back that restores the
// session exactly, run-until goals, and a saved session that is a passing scenario and a
// trace that re-executes identically.
#include <doctest/doctest.h>

#include <array>

#include "sim/rng.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"
#include "traces/scenario/words.hpp"
#include "traces/step/choices.hpp"
#include "traces/step/live.hpp"
#include "traces/step/stepper.hpp"

using namespace step;

namespace {

Words words(const std::string& s) { return scenario::splitWords(s); }

bool leaderOf(const Stepper& s, raft::Term term) {
    for (int i = 0; i < s.session().nodes(); ++i) {
        const raft::Node& n = s.session().model().node(s.session().state(), i);
        if (n.role() == raft::Role::Leader && n.currentTerm() == term) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("stepper: run until leader elects one; a partition and a second run elect another") {
    Stepper s("cluster 3");
    const Output first = s.runUntil(Goal::Leader, kRunDefault);
    CHECK(first.back().starts_with("reached after "));
    CHECK(leaderOf(s, 1));
    s.run(words("partition 0 | 1 2"));
    const Output second = s.runUntil(Goal::Leader, kRunDefault);
    CHECK(second.back().starts_with("reached after "));
    CHECK(leaderOf(s, 2));
    const std::size_t depth = s.depth();
    CHECK(s.back(3) == 3);
    CHECK(s.depth() == depth - 3);
    CHECK(s.session().trace().steps.size() == s.session().trace().records.size());
}

TEST_CASE("stepper: back restores the state, the path and the cuts exactly") {
    Stepper s("cluster 3");
    s.run(words("timeout 0"));
    const mc::State mid = s.session().state();
    const std::size_t steps = s.session().trace().steps.size();
    s.run(words("partition 0 | 1 2"));
    s.run(words("drop vote 0->1"));
    CHECK_THROWS_AS(s.run(words("deliver vote 0->2")), std::invalid_argument);  // cut
    CHECK(s.depth() == 3);  // a refused command is not kept
    CHECK(s.back(2) == 2);
    CHECK(s.session().state() == mid);
    CHECK(s.session().trace().steps.size() == steps);
    CHECK(s.session().cuts().empty());
    CHECK(s.back(10) == 1);
    CHECK(s.back(1) == 0);
}

TEST_CASE("stepper: every choice runs, over seeded random walks, and back undoes each") {
    sim::Rng rng(14);
    const std::array<const char*, 4> clusters{"cluster 3", "cluster 2 check-quorum",
                                              "cluster 2 spares=1 snapshots transfers reads", "cluster 2 async-writes pre-vote"};
    for (int walk = 0; walk < 24; ++walk) {
        Stepper s(clusters[static_cast<std::size_t>(walk) % clusters.size()]);
        for (int k = 0; k < 60 && !s.session().violation(); ++k) {
            const std::vector<Choice> list = choices(s.session(), s.nextValue());
            REQUIRE_FALSE(list.empty());
            const Choice& c = list[rng.below(list.size())];
            const mc::State before = s.session().state();
            INFO(c.command);
            REQUIRE_NOTHROW(s.run(words(c.command)));
            if (rng.below(4) == 0) {
                s.back(1);
                CHECK(s.session().state() == before);
            }
        }
    }
}

TEST_CASE("stepper: a saved session is a scenario whose every expectation holds, with the same path") {
    Stepper s("cluster 3");
    s.runUntil(Goal::Commit, kRunDefault);
    s.run(words("partition 0 | 1 2"));
    s.runUntil(Goal::Leader, kRunDefault);
    s.back(1);
    s.run(words("heal"));
    const scenario::RunResult r = scenario::runScript(scenario::parseScript(s.scenarioText("test"), false), false);
    CHECK(r.failures.empty());
    CHECK(r.trace.steps.size() == s.trace().steps.size());
    CHECK(r.trace.records == s.trace().records);
}

TEST_CASE("stepper: run until quiet, until commit, and the bound") {
    Stepper s("cluster 3");
    CHECK(s.runUntil(Goal::Quiet, kRunDefault).back() == "reached after 0 steps");
    CHECK(s.runUntil(Goal::Leader, 1).back() == "stopped after 1 steps (max=1)");
    const Output o = s.runUntil(Goal::Commit, kRunDefault);
    CHECK(o.back().starts_with("reached after "));
    s.runUntil(Goal::Quiet, kRunDefault);
    CHECK(s.session().state().bag.empty());
}

TEST_CASE("stepper: a model trace's steps become commands that take the same path") {
    Stepper a("cluster 3 bug=vote-no-log-check");
    a.runUntil(Goal::Commit, kRunDefault);
    a.run(words("crash 1"));
    a.runUntil(Goal::Leader, kRunDefault);
    const mc::ModelTrace t = a.trace();
    Stepper b(clusterCommand(t.bounds));
    CHECK(clusterCommand(t.bounds) == "cluster 3 bug=vote-no-log-check");
    for (const mc::PathStep& p : t.steps) b.run(words(commandFor(b.session(), p)));
    CHECK(b.trace().records == t.records);
}

TEST_CASE("live: a command steps the session, a bad one is a 400 saying why, back undoes, the page lists the choices") {
    step::Live live(std::make_unique<Stepper>("cluster 3"));
    CHECK(live.page().find("\"live\":{\"choices\":[\"timeout 0\"") != std::string::npos);
    const step::LiveReply ok = live.act("timeout 0");
    CHECK(ok.status == 200);
    CHECK(ok.body.find("timeout node 0 election") != std::string::npos);
    const step::LiveReply bad = live.act("deliver vote 2->0");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("no message 'vote 2->0' in flight") != std::string::npos);
    CHECK(live.page().find("\"deliver vote 0->1\"") != std::string::npos);
    CHECK(live.back().body == "{\"undone\":1}");
    CHECK(live.scenarioText().find("timeout 0") == std::string::npos);
    CHECK(live.traceJson().find("\"events\": []") != std::string::npos);
}

TEST_CASE("stepper: membership changes and snapshots are choices, and a trace of them becomes commands") {
    Stepper s("cluster 1 spares=1 snapshots");
    s.runUntil(Goal::Commit, kRunDefault);
    bool change = false;
    bool snapshot = false;
    for (const Choice& c : choices(s.session(), s.nextValue())) {
        change = change || c.command == "change 0 add-voter 1";
        snapshot = snapshot || c.command == "snapshot 0";
    }
    CHECK(change);
    CHECK(snapshot);
    s.run(words("change 0 add-voter 1"));
    s.runUntil(Goal::Quiet, kRunDefault);
    s.run(words("snapshot 0"));
    const mc::ModelTrace t = s.trace();
    CHECK(clusterCommand(t.bounds) == "cluster 1 spares=1 snapshots");
    Stepper b(clusterCommand(t.bounds));
    for (const mc::PathStep& p : t.steps) b.run(words(commandFor(b.session(), p)));
    CHECK(b.trace().records == t.records);
    CHECK(t.records.back().nodes[1].voters == 0b11);
    CHECK(t.records.back().nodes[0].snapshotIndex > 0);
}
