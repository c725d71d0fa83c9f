// The scenario runner: steps through the model, outputs, failures and violations.
#include <doctest/doctest.h>

#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

using namespace scenario;

namespace {

RunResult runText(const std::string& text, bool rewriting = true) { return runScript(parseScript(text, rewriting), rewriting); }

int errorLine(const std::string& text) {
    try {
        runText(text);
    } catch (const ScenarioError& e) {
        return e.line();
    }
    return 0;
}

}  // namespace

TEST_CASE("runner_firstElection_electsAndCommitsTheNoop") {
    const RunResult r = runText("cluster 3\n\ntimeout 0\n\ndeliver-all\n\nshow nodes\n");
    CHECK(r.failures.empty());
    REQUIRE(r.outputs.size() == 4);
    CHECK(r.outputs[1].front() == "timeout node 0 election");
    CHECK(r.outputs[1][1] == "  n0 candidate t1 vote=0 commit=0 log=[]");
    CHECK(r.outputs[2].back().find("quiet after ") == 0);
    CHECK(r.outputs[3][0] == "n0 leader    t1 vote=0 commit=1 log=[1]");
    CHECK(r.trace.steps.size() == r.trace.records.size());
    CHECK_FALSE(r.trace.verdict.has_value());
}

TEST_CASE("runner_expectation_differenceIsAFailureOnItsLine") {
    const RunResult r = runText("cluster 1\n----\nn0 leader\n", false);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].line == 1);
    CHECK(r.failures[0].expected == std::vector<std::string>{"n0 leader"});
}

TEST_CASE("runner_malformed_commandsAreErrorsOnTheirLine") {
    CHECK(errorLine("cluster 3\n\nfrobnicate 1\n") == 3);
    CHECK(errorLine("timeout 0\n") == 1);                            // no cluster yet
    CHECK(errorLine("cluster 3\n\ntimeout 7\n") == 3);               // bad node
    CHECK(errorLine("cluster 3\n\ndeliver vote 0->1\n") == 3);       // not in flight
    CHECK(errorLine("cluster 3\n\nheartbeat 0\n") == 3);             // not a leader
    CHECK(errorLine("cluster 3 bug=nope\n") == 1);                   // unknown bug
    CHECK(errorLine("cluster 3\n\nexpect-violation nothing\n") == 3);  // unknown property
}

TEST_CASE("runner_partition_deliverAllDropsAcrossTheCutAndRefusesExplicitDelivery") {
    const RunResult r = runText("cluster 3\n\npartition 0 | 1 2\n\ntimeout 0\n\ndeliver-all\n");
    CHECK(r.outputs[3].front().find("(link cut)") != std::string::npos);
    CHECK(errorLine("cluster 3\n\npartition 0 | 1 2\n\ntimeout 0\n\ndeliver vote 0->1\n") == 7);
}

TEST_CASE("runner_violation_mustBeExpected") {
    const std::string steps = "cluster 3 bug=no-step-down-higher-term\n\ntimeout 0\n\ndeliver vote 0->1\n\n"
                              "timeout 1\n\ndeliver vote-resp 1->0\n\ndeliver app 0->1\n\ndeliver app-resp 1->0\n\n";
    const RunResult unexpected = runText(steps);
    REQUIRE(unexpected.trace.verdict.has_value());
    CHECK(unexpected.failures.size() == 1);
    const RunResult expected = runText(steps + "expect-violation " + unexpected.trace.verdict->property + "\n");
    CHECK(expected.failures.empty());
    const RunResult wrong = runText(steps + "expect-violation election-safety\n");
    CHECK(wrong.failures.size() == 1);
}
