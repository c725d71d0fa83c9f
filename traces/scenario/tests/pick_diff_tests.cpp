// Naming a message in flight, the line diff of a failing block, and deliver-all's bound.
#include <doctest/doctest.h>

#include "traces/scenario/diff.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

using namespace scenario;

namespace {

std::string errorOf(const std::string& text) {
    try {
        runScript(parseScript(text, true), true);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("pick_ambiguousMessage_listsTheCandidates") {
    // Node 0 times out twice: RequestVotes of terms 1 and 2 to node 1 are in flight.
    const std::string why = errorOf("cluster 3\n\ntimeout 0\n\ntimeout 0\n\ndeliver vote 0->1\n");
    CHECK(why.find("'vote 0->1' is ambiguous, 2 messages match (say more of it): RequestVote 0->1 term=") == 0);
    CHECK(errorOf("cluster 3\n\ntimeout 0\n\ntimeout 0\n\ndeliver vote 0->1 term=2\n").empty());
}

TEST_CASE("pick_malformedMessage_saysWhatIsExpected") {
    CHECK(errorOf("cluster 3\n\ndeliver ping 0->1\n").find("unknown message kind 'ping'") == 0);
    CHECK(errorOf("cluster 3\n\ndeliver vote 0-1\n").find("expected FROM->TO, got '0-1'") == 0);
    CHECK(errorOf("cluster 3\n\ndeliver vote 0->9\n").find("bad node '9'") == 0);
}

TEST_CASE("diff_marksExpectedAndActualLines") {
    const std::vector<std::string> d = diffLines({"a", "b", "c"}, {"a", "x", "c", "d"});
    CHECK(d == std::vector<std::string>{"  a", "- b", "+ x", "  c", "+ d"});
}

TEST_CASE("deliverAll_stopsAtItsBoundAndSaysSo") {
    const RunResult r = runScript(parseScript("cluster 3\n\ntimeout 0\n\ndeliver-all max=3\n", true), true);
    CHECK(r.outputs[2].back() == "stopped after 3 steps (max=3): 3 messages still in flight");
}

TEST_CASE("runner_sameScript_sameOutputsAndTrace") {
    const std::string text = "cluster 5\n\ntimeout 2\n\ndeliver-all\n\npropose 2\n\ndeliver-all\n\nshow\n";
    const RunResult a = runScript(parseScript(text, true), true);
    const RunResult b = runScript(parseScript(text, true), true);
    CHECK(a.outputs == b.outputs);
    CHECK(a.trace.records == b.trace.records);
}
