// The checker's anticipating and transition properties: a commit that a node without the
// entry could still overturn, a higher term not adopted, a reply ahead of its write.
#include <doctest/doctest.h>

#include "sim/checker.hpp"
#include "sim/tests/step_checked.hpp"

using namespace raft;
using sim::Checker;
using sim::test::TestNode;
using sim::test::stepChecked;

TEST_CASE("checker: a commit that two empty logs can outvote breaks commit-quorum") {
    Checker checker(3);
    TestNode a(Config{.id = 0, .clusterSize = 1});  // believes it is alone, commits alone
    stepChecked(checker, a, Timeout{Timer::Election});
    REQUIRE(a.commitIndex() == 1);
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "commit-quorum");
    CHECK(checker.violation()->details.find("index 1") != std::string::npos);
}

TEST_CASE("checker: a commit held by a quorum keeps commit-quorum") {
    Checker checker(3);
    TestNode follower(Config{.id = 1, .clusterSize = 3});
    stepChecked(checker, follower,
                Receive{Message{.kind = MsgKind::AppendEntries, .from = 0, .to = 1, .term = 1,
                                .entries = {Entry{.term = 1}}}});
    TestNode a(Config{.id = 0, .clusterSize = 1});
    stepChecked(checker, a, Timeout{Timer::Election});
    CHECK_FALSE(checker.violation());
}

TEST_CASE("checker: a node that keeps its term after hearing a higher one breaks higher-term-adopted") {
    Checker checker(3);
    TestNode a(Config{.id = 0, .clusterSize = 3});
    checker.afterReceive(0, a.view());
    CHECK_FALSE(checker.violation());
    checker.afterReceive(4, a.view());
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "higher-term-adopted");
}

TEST_CASE("checker: a reply that leaves before its write breaks durable-before-ack") {
    Checker checker(3);
    const Message ack{.kind = MsgKind::AppendEntriesResponse, .from = 1, .to = 0, .term = 2,
                      .success = true, .matchIndex = 2};
    checker.onReplySent(ack, DurableState{.currentTerm = 2, .log = {Entry{.term = 1}, Entry{.term = 2}}});
    CHECK_FALSE(checker.violation());
    checker.onReplySent(ack, DurableState{.currentTerm = 2, .log = {Entry{.term = 1}}});
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "durable-before-ack");
}

TEST_CASE("checker: a granted vote not on disk breaks durable-before-ack") {
    Checker checker(3);
    const Message vote{.kind = MsgKind::RequestVoteResponse, .from = 1, .to = 2, .term = 3,
                       .success = true};
    checker.onReplySent(vote, DurableState{.currentTerm = 3, .votedFor = 2});
    CHECK_FALSE(checker.violation());
    checker.onReplySent(vote, DurableState{.currentTerm = 3, .votedFor = kNoNode});
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "durable-before-ack");
}
