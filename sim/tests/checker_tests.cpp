// The checker, fed by hand with nodes driven into broken situations that a correct
// cluster never reaches: each property must be reported by name.
#include <doctest/doctest.h>

#include "sim/checker.hpp"
#include "sim/tests/step_checked.hpp"

using namespace raft;
using sim::Checker;
using sim::test::TestNode;
using sim::test::stepChecked;

namespace {


Message voteFrom(NodeId voter, NodeId candidate, Term term) {
    return Message{.kind = MsgKind::RequestVoteResponse, .from = voter, .to = candidate,
                   .term = term, .success = true};
}

// Drives a node of a 3-node cluster to leadership of the next term with a forged vote.
void electAlone(Checker& checker, TestNode& node) {
    stepChecked(checker, node, Timeout{Timer::Election});
    const NodeId voter = static_cast<NodeId>((node.id() + 1) % 3);
    stepChecked(checker, node, Receive{voteFrom(voter, node.id(), node.currentTerm())});
    REQUIRE(node.role() == Role::Leader);
}

TestNode freshNode(NodeId id) { return TestNode(Config{.id = id, .clusterSize = 3}); }

}  // namespace

TEST_CASE("checker: two leaders of one term break election safety") {
    Checker checker(3);
    TestNode a = freshNode(0);
    TestNode b = freshNode(1);
    electAlone(checker, a);
    CHECK_FALSE(checker.violation());
    electAlone(checker, b);
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "election-safety");
    CHECK(checker.violation()->details.find("term 1") != std::string::npos);
}

TEST_CASE("checker: one leader per term holds across terms") {
    Checker checker(3);
    TestNode a = freshNode(0);
    electAlone(checker, a);
    stepChecked(checker, a, Receive{Message{.kind = MsgKind::AppendEntriesResponse, .from = 1,
                                            .to = 0, .term = 2}});
    CHECK(a.role() == Role::Follower);
    TestNode b = freshNode(1);
    electAlone(checker, b);  // term 1 again for b: a led term 1
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "election-safety");
}

TEST_CASE("checker: entries with the same index and term but different logs break log matching") {
    // Two forged leaders of term 1 (elected out of the checker's sight, which would
    // otherwise report election safety first) each append a different entry at index 2.
    Checker quiet(3);
    TestNode a = freshNode(0);
    TestNode b = freshNode(1);
    electAlone(quiet, a);
    electAlone(quiet, b);
    Checker checker(3);
    checker.afterRestart(a);  // the checker learns both logs: [noop@1]
    checker.afterRestart(b);
    stepChecked(checker, a, Propose{Entry{.data = 7}});
    CHECK_FALSE(checker.violation());
    stepChecked(checker, b, Propose{Entry{.data = 8}});
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "log-matching");
    CHECK(checker.violation()->details.find("index 2 term 1") != std::string::npos);
}

TEST_CASE("checker: a granted vote sent twice in a term breaks single-vote") {
    Checker checker(3);
    checker.onVoteSent(2, 5, 0);
    checker.onVoteSent(2, 5, 0);  // the same vote again is fine (a retransmission)
    CHECK_FALSE(checker.violation());
    checker.onVoteSent(2, 6, 1);
    CHECK_FALSE(checker.violation());
    checker.onVoteSent(2, 5, 1);
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "single-vote");
}

TEST_CASE("checker: a disk that disagrees with the node breaks durability") {
    Checker checker(3);
    TestNode a = freshNode(0);
    stepChecked(checker, a, Timeout{Timer::Election});  // term 1, voted for itself
    checker.afterDiskWrite(a.view(), a, DurableState{.currentTerm = 1, .votedFor = 0}, true);
    CHECK_FALSE(checker.violation());
    checker.afterDiskWrite(a.view(), a, DurableState{.currentTerm = 1, .votedFor = kNoNode}, true);
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "durability");
}

TEST_CASE("checker: a durable term that goes down breaks term-monotonic") {
    Checker checker(3);
    TestNode a = freshNode(0);
    checker.afterDiskWrite(a.view(), a, DurableState{.currentTerm = 3}, false);
    CHECK_FALSE(checker.violation());
    checker.afterDiskWrite(a.view(), a, DurableState{.currentTerm = 2}, false);
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "term-monotonic");
}

TEST_CASE("checker: a new leader without a committed entry breaks leader completeness") {
    Checker checker(3);
    // Node 1 holds the no-op of term 1 that node 0 is about to commit, so the commit
    // is on a quorum that outvotes the empty log of node 2.
    TestNode follower = freshNode(1);
    stepChecked(checker, follower,
                Receive{Message{.kind = MsgKind::AppendEntries, .from = 0, .to = 1, .term = 1,
                                .entries = {Entry{.term = 1}}}});
    TestNode a(Config{.id = 0, .clusterSize = 1});  // commits alone
    stepChecked(checker, a, Timeout{Timer::Election});
    REQUIRE(a.commitIndex() == 1);
    CHECK_FALSE(checker.violation());
    // A node of another cluster view, elected in a later term with an empty log.
    TestNode b = freshNode(2);
    stepChecked(checker, b, Receive{Message{.kind = MsgKind::RequestVote, .from = 1, .to = 2,
                                            .term = 1}});
    CHECK_FALSE(checker.violation());
    electAlone(checker, b);  // term 2
    REQUIRE(checker.violation());
    CHECK(checker.violation()->property == "leader-completeness");
}
