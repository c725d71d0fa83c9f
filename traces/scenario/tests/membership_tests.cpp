// The scenario commands of membership changes and snapshots: change, snapshot, and the
// cluster options membership, spares=K and snapshots (thesis §4.1-§4.3, §5.1).
#include <doctest/doctest.h>

#include <algorithm>

#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

using namespace scenario;

namespace {

RunResult runText(const std::string& text) { return runScript(parseScript(text, true), true); }

std::string errorOf(const std::string& text) {
    try {
        runText(text);
    } catch (const ScenarioError& e) {
        return e.message();
    }
    return "";
}

bool hasLine(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

const std::string kElected = "cluster 3 spares=1\n\ntimeout 0\n\ndeliver-all\n\n";

}  // namespace

TEST_CASE("scenario membership: a spare starts outside every configuration and is named like any node") {
    const RunResult r = runText("cluster 3 spares=1\n");
    REQUIRE(r.outputs[0].size() == 4);
    CHECK(r.outputs[0][0] == "n0 follower  t0 vote=- commit=0 log=[] voters={0,1,2}");
    CHECK(r.outputs[0][3] == "n3 follower  t0 vote=- commit=0 log=[] voters={}");
    // A cluster without the features prints exactly as before.
    CHECK(runText("cluster 3\n").outputs[0][0] == "n0 follower  t0 vote=- commit=0 log=[]");
}

TEST_CASE("scenario membership: a new voter is caught up first, then its configuration takes effect (§4.2.1)") {
    const RunResult r = runText(kElected + "change 0 add-voter 3\n\ndeliver-all\n");
    CHECK(r.failures.empty());
    CHECK(hasLine(r.outputs[3], "catching n3 up before it votes (§4.2.1): round 1"));
    CHECK_FALSE(hasLine(r.outputs[3], "accepted"));
    CHECK(hasLine(r.outputs[4], "n0 change add-voter 3 accepted: the configuration entry is at (2,t1)"));
    CHECK(hasLine(r.outputs[4], "n3 configuration: voters {0,1,2,3} learners {} (entry 2, uncommitted)"));
    CHECK(r.trace.records.back().nodes[3].voters == 0b1111);
}

TEST_CASE("scenario membership: a refused change is answered and is not a step of the path (§4.1)") {
    const RunResult r = runText(kElected + "change 0 add-learner 3\n\nchange 0 remove-server 2\n\nchange 1 remove-server 2\n");
    CHECK(r.failures.empty());
    CHECK(hasLine(r.outputs[4], "refused (in-progress)"));
    CHECK(hasLine(r.outputs[4], "(nothing changes: not a step of the path)"));
    CHECK(hasLine(r.outputs[5], "refused (not-leader): only a leader changes the configuration (try n0)"));
    const std::size_t steps = r.trace.steps.size();
    CHECK(r.trace.steps.back().event.kind == mc::EventKind::Change);
    CHECK(runText(kElected + "change 0 add-learner 3\n").trace.steps.size() == steps);
}

TEST_CASE("scenario membership: a removed leader steps down when its removal commits (§4.2.2)") {
    const RunResult r = runText("cluster 3 membership\n\ntimeout 0\n\ndeliver-all\n\nchange 0 remove-server 0\n\ndeliver-all\n");
    CHECK(r.failures.empty());
    CHECK(hasLine(r.outputs[4], "held by n1,n2, 2 of 2 (a quorum is 2), an entry of our term; the configuration it "
                                "commits leaves us out, so we step down (§4.2.2)"));
    CHECK(r.trace.records.back().nodes[0].role == raft::Role::Follower);
}

TEST_CASE("scenario membership: bad changes are errors naming what is wrong") {
    CHECK(errorOf("cluster 3\n\ntimeout 0\n\ndeliver-all\n\nchange 0 remove-server 2\n").find("no membership changes") !=
          std::string::npos);
    CHECK(errorOf(kElected + "change 0 promote 3\n").find("unknown change 'promote'") != std::string::npos);
    CHECK(errorOf(kElected + "change 0 add-voter 4\n").find("bad node '4'") != std::string::npos);
    CHECK(errorOf("cluster 3 spares=3\n").find("nodes and spares must be 5 at most") != std::string::npos);
    CHECK(errorOf("cluster 3 spares=x\n").find("spares must be") != std::string::npos);
    CHECK(errorOf(kElected + "crash 0\n\nchange 0 remove-server 2\n").find("node 0 is down") != std::string::npos);
}

TEST_CASE("scenario snapshots: a snapshot discards the applied prefix and is shown in the log (§5.1)") {
    const RunResult r = runText("cluster 1 snapshots\n\ntimeout 0\n\npropose 0\n\nsnapshot 0\n");
    CHECK(r.failures.empty());
    CHECK(r.outputs[3][1] == "  n0 leader    t1 vote=0 commit=2 log=[snap(2,t1)] voters={0}");
    CHECK(hasLine(r.outputs[3], "n0 snapshots its state machine up to (2,t1)"));
    CHECK(errorOf("cluster 1 snapshots\n\ntimeout 0\n\nsnapshot 0\n\nsnapshot 0\n").find("applied nothing since its snapshot") !=
          std::string::npos);
    CHECK(errorOf("cluster 1\n\ntimeout 0\n\nsnapshot 0\n").find("takes no snapshots") != std::string::npos);
    CHECK(errorOf("cluster 1 snapshots async-writes\n").find("snapshots with async writes") != std::string::npos);
}
