// PreVote (thesis §9.6): a node asks whether it could win before it raises its term, so
// a node that was cut off cannot disrupt a cluster that has a leader.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

namespace {

Config preVoteCfg(NodeId id, int clusterSize, BugSet b = {}) {
    Config c = cfg(id, clusterSize, b);
    c.preVote = true;
    return c;
}

Message preVote(NodeId from, NodeId to, Term term, Index lastLogIndex, Term lastLogTerm) {
    Message m = requestVote(from, to, term, lastLogIndex, lastLogTerm);
    m.kind = MsgKind::PreVote;
    return m;
}

Message preVoteResponse(NodeId from, NodeId to, Term term, bool granted) {
    Message m = voteResponse(from, to, term, granted);
    m.kind = MsgKind::PreVoteResponse;
    return m;
}

// A node of term 2 whose election timer fired: a pre-candidate.
Node preCandidate(NodeId id = 0, int clusterSize = 3, BugSet b = {}) {
    Node n(preVoteCfg(id, clusterSize, b), DurableState{.currentTerm = 2, .log = terms({1, 2})});
    n.step(Start{});
    n.step(Timeout{Timer::Election});
    REQUIRE(n.role() == Role::PreCandidate);
    return n;
}

}  // namespace

TEST_SUITE_BEGIN("§9.6 prevote");

TEST_CASE("preVote_timeoutAsksWithoutRaisingTerm: §9.6 a node whose timer fires asks for "
          "pre-votes for the next term, writes nothing and keeps its term and vote") {
    Node n(preVoteCfg(0, 3), DurableState{.currentTerm = 2, .votedFor = 1, .log = terms({1, 2})});
    n.step(Start{});
    const Actions a = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::PreCandidate);
    CHECK(n.currentTerm() == 2);
    CHECK(n.votedFor() == 1);
    CHECK_FALSE(writes(a));
    CHECK(trace(a) ==
          "ArmTimer(Election); Send(PreVote,to=1,term=3); Send(PreVote,to=2,term=3)");
    CHECK(sent(a)[0].lastLogIndex == 2);
    CHECK(sent(a)[0].lastLogTerm == 2);
}

TEST_CASE("preVote_majorityStartsTheRealElection: §9.6 with a majority of pre-votes the node "
          "becomes a candidate of the next term") {
    Node n = preCandidate();
    const Actions a = n.step(Receive{preVoteResponse(1, 0, 3, true)});
    CHECK(n.role() == Role::Candidate);
    CHECK(n.currentTerm() == 3);
    CHECK(n.votedFor() == 0);
    CHECK(trace(a).find("Send(RequestVote,to=1,term=3)") != std::string::npos);
}

TEST_CASE("preVote_grantChangesNothing: §9.6 a node grants a pre-vote to an up-to-date log "
          "without adopting the term, voting, or resetting its timer") {
    Node n(preVoteCfg(1, 3), DurableState{.currentTerm = 2, .log = terms({1, 2})});
    n.step(Start{});
    const Actions a = n.step(Receive{preVote(0, 1, 3, 2, 2)});
    CHECK(n.currentTerm() == 2);
    CHECK(n.votedFor() == kNoNode);
    CHECK(n.role() == Role::Follower);
    CHECK(trace(a) == "Send(PreVoteResponse,to=0,term=3,granted)");
}

TEST_CASE("preVote_refusedWhileALeaderIsHeard: §9.6 a follower that heard from a current "
          "leader since its timer was armed refuses, so a returning node cannot disrupt") {
    Node n(preVoteCfg(1, 3), DurableState{.currentTerm = 2, .log = terms({1, 2})});
    n.step(Start{});
    n.step(Receive{appendEntries(2, 1, 2, 2, 2, {}, 0)});  // leader 2 of term 2 is alive
    REQUIRE(n.leaderId() == 2);
    const Actions a = n.step(Receive{preVote(0, 1, 3, 2, 2)});
    CHECK(trace(a) == "Send(PreVoteResponse,to=0,term=2,refused)");
    CHECK(n.currentTerm() == 2);
    CHECK(n.leaderId() == 2);
}

TEST_CASE("preVote_refusedToAStaleLog: §9.6 and §5.4.1 a pre-vote needs a log at least as up "
          "to date") {
    Node n(preVoteCfg(1, 3), DurableState{.currentTerm = 2, .log = terms({1, 2})});
    n.step(Start{});
    const Actions a = n.step(Receive{preVote(0, 1, 3, 1, 1)});
    CHECK(trace(a) == "Send(PreVoteResponse,to=0,term=2,refused)");
}

TEST_CASE("preVote_refusalOfAHigherTermIsAdopted: §5.1 a pre-candidate refused by a node of a "
          "higher term follows that term") {
    Node n = preCandidate();
    n.step(Receive{preVoteResponse(1, 0, 5, false)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 5);
}

TEST_CASE("preVote_partitionedNodeCannotDisrupt: §9.6 a node cut off times out again and "
          "again; its term stays, so on its return the leader is not deposed") {
    Node n(preVoteCfg(0, 3), DurableState{.currentTerm = 2, .log = terms({1, 2})});
    n.step(Start{});
    for (int i = 0; i < 5; ++i) n.step(Timeout{Timer::Election});
    CHECK(n.currentTerm() == 2);  // without PreVote it would be at term 7
    CHECK(n.role() == Role::PreCandidate);
    // The leader's append of term 2 brings it back as a follower, the term unchanged.
    n.step(Receive{appendEntries(1, 0, 2, 2, 2, {}, 2)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.leaderId() == 1);
}

TEST_CASE("preVote_lonelyNodeElectsItself: §9.6 a one-node cluster is its own pre-vote "
          "majority and goes straight to a real election") {
    Node n(preVoteCfg(0, 1));
    n.step(Start{});
    stepDurably(n, Timeout{Timer::Election});
    CHECK(n.role() == Role::Leader);
    CHECK(n.currentTerm() == 1);
}

TEST_CASE("preVote_lateGrantIsNotAVote: §9.6 a pre-vote grant carries the term the candidate "
          "now campaigns in; a candidate does not count it (canonical/raft issue #196)") {
    Node five = preCandidate(0, 5);
    five.step(Receive{preVoteResponse(1, 0, 3, true)});
    five.step(Receive{preVoteResponse(2, 0, 3, true)});
    REQUIRE(five.role() == Role::Candidate);
    five.step(allDurable(five));
    five.step(Receive{preVoteResponse(3, 0, 3, true)});  // late: a pre-vote, not a vote
    CHECK(five.role() == Role::Candidate);
    CHECK(countOf(five.votesGranted()) == 1);

    Node buggy = preCandidate(0, 5, bugs(Bug::PreVoteCountedAsVote));
    buggy.step(Receive{preVoteResponse(1, 0, 3, true)});
    buggy.step(Receive{preVoteResponse(2, 0, 3, true)});
    buggy.step(allDurable(buggy));
    buggy.step(Receive{preVoteResponse(3, 0, 3, true)});
    buggy.step(Receive{preVoteResponse(4, 0, 3, true)});
    CHECK(buggy.role() == Role::Leader);  // the bug: leader on pre-votes alone
}

TEST_SUITE_END();
