// §5.1 term rules: the role-independent prelude of Node::step.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("§5.1 terms");

TEST_CASE("checkTerm_followerAdoptsHigherTermOfRequestVote: §5.1 a higher term makes the node "
          "a follower of that term, with no vote yet") {
    // Voted for 1 in term 2; a RequestVote of term 5 from 2 starts a fresh term.
    Node n(cfg(0, 3), DurableState{.currentTerm = 2, .votedFor = 1});
    n.step(Start{});
    const Actions a = n.step(Receive{requestVote(2, 0, 5, 0, 0)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 5);
    CHECK(n.votedFor() == 2);  // the old vote was for term 2; term 5's vote is free
    CHECK(trace(a) ==
          "PersistHardState(term=5,votedFor=-1); "
          "PersistHardState(term=5,votedFor=2); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=2,term=5,granted)");
}

TEST_CASE("checkTerm_leaderStepsDownOnHigherTermRequest: §5.1 a leader that sees a higher term "
          "in a request becomes a follower of that term") {
    Node n = makeLeader(cfg(0, 3));
    REQUIRE(n.currentTerm() == 1);
    // The candidate's log is empty, ours holds the no-op: the vote is refused (§5.4.1),
    // but the term is adopted all the same.
    const Actions a = n.step(Receive{requestVote(1, 0, 3, 0, 0)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 3);
    CHECK(n.votedFor() == kNoNode);
    CHECK(n.leaderId() == kNoNode);
    CHECK(trace(a) ==
          "PersistHardState(term=3,votedFor=-1); CancelTimer(Heartbeat); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=1,term=3,refused)");
}

TEST_CASE("checkTerm_leaderStepsDownOnHigherTermResponse: §5.1 a higher term in a response "
          "deposes a leader too") {
    Node n = makeLeader(cfg(0, 3));
    const Actions a = n.step(Receive{appendResponse(2, 0, 4, false, 0, 0)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 4);
    CHECK(n.votedFor() == kNoNode);
    CHECK(trace(a) ==
          "PersistHardState(term=4,votedFor=-1); CancelTimer(Heartbeat); ArmTimer(Election)");
}

TEST_CASE("checkTerm_leaderStepsDownOnHigherTermResponse_bugNoStepDown: §5.1 with "
          "Bug::NoStepDownHigherTerm the same response leaves the leader in place") {
    // Shows the previous test can fail: the switched-on bug breaks exactly its assertion.
    Node n = makeLeader(cfg(0, 3, bugs(Bug::NoStepDownHigherTerm)));
    const Actions a = n.step(Receive{appendResponse(2, 0, 4, false, 0, 0)});
    CHECK(n.role() == Role::Leader);
    CHECK(n.currentTerm() == 1);
    CHECK(a.empty());
}

TEST_CASE("checkTerm_candidateStepsDownOnHigherTermVoteResponse: §5.1 a refusal carrying a "
          "higher term ends the candidacy") {
    Node n = makeCandidate(cfg(0, 3));
    REQUIRE(n.currentTerm() == 1);
    const Actions a = n.step(Receive{voteResponse(1, 0, 2, false)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 2);
    CHECK(n.votedFor() == kNoNode);
    CHECK(n.votesGranted() == 0);
    // Its candidacy's timer keeps running: a refusal resets nothing (figure 2).
    CHECK(trace(a) == "PersistHardState(term=2,votedFor=-1)");
}

TEST_CASE("checkTerm_candidateFollowsHigherTermLeader: §5.1 an AppendEntries of a higher term "
          "makes a candidate the follower of its sender") {
    Node n = makeCandidate(cfg(0, 3));
    const Actions a = n.step(Receive{appendEntries(2, 0, 3, 0, 0, {}, 0)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 3);
    CHECK(n.leaderId() == 2);
    CHECK(n.votedFor() == kNoNode);
    // The hard state is durable before the acknowledgement leaves.
    REQUIRE(positionOf<PersistHardState>(a) >= 0);
    CHECK(positionOf<PersistHardState>(a) < positionOf<Send>(a));
    const std::vector<Message> out = sent(a);
    REQUIRE(out.size() == 1);
    CHECK(out[0].kind == MsgKind::AppendEntriesResponse);
    CHECK(out[0].success);
    CHECK(out[0].term == 3);
}

TEST_CASE("checkTerm_rejectsLowerTermRequestVote: §5.1 a lower-term RequestVote is refused and "
          "answered with the current term") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 5});
    n.step(Start{});
    // The candidate's log is far more up to date: only its term disqualifies it.
    const Actions a = n.step(Receive{requestVote(1, 0, 3, 100, 3)});
    CHECK(trace(a) == "Send(RequestVoteResponse,to=1,term=5,refused)");  // no timer reset
    CHECK(n.currentTerm() == 5);
    CHECK(n.votedFor() == kNoNode);
    CHECK(n.role() == Role::Follower);
}

TEST_CASE("checkTerm_rejectsLowerTermAppendEntries: §5.1 a lower-term AppendEntries is refused "
          "and answered with the current term, the log untouched") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 5, .log = terms({1, 1})});
    n.step(Start{});
    const Actions a = n.step(Receive{appendEntries(1, 0, 4, 2, 1, terms({4}), 3)});
    CHECK(trace(a) == "Send(AppendEntriesResponse,to=1,term=5,reject=0)");
    CHECK(sent(a)[0].success == false);
    CHECK(sent(a)[0].rejectedIndex == 0);  // a term, not a rejected index
    CHECK(termsOf(n) == std::vector<Term>{1, 1});
    CHECK(n.commitIndex() == 0);
    CHECK(n.leaderId() == kNoNode);  // a deposed leader is nobody's leader
    CHECK(n.currentTerm() == 5);
}

TEST_CASE("checkTerm_rejectsLowerTermAppendEntries_bugStaleTermAppend: §5.1 with "
          "Bug::StaleTermAppend the stale append is taken") {
    Node n(cfg(0, 3, bugs(Bug::StaleTermAppend)), DurableState{.currentTerm = 5, .log = terms({1, 1})});
    n.step(Start{});
    n.step(Receive{appendEntries(1, 0, 4, 2, 1, terms({4}), 3)});
    CHECK(termsOf(n) == std::vector<Term>{1, 1, 4});  // what the test above forbids
}

TEST_CASE("checkTerm_staleLeaderLearnsTermFromRejection: §5.1 the answer to a stale request "
          "deposes its sender") {
    Node oldLeader = makeLeader(cfg(0, 3));                      // term 1
    Node follower(cfg(1, 3), DurableState{.currentTerm = 2});   // moved on to term 2
    const std::vector<Message> appends = sent(oldLeader.step(Timeout{Timer::Heartbeat}));
    REQUIRE(appends.size() == 2);
    REQUIRE(appends[0].to == 1);
    const std::vector<Message> answer = sent(follower.step(Receive{appends[0]}));
    REQUIRE(answer.size() == 1);
    CHECK(answer[0].term == 2);
    oldLeader.step(Receive{answer[0]});
    CHECK(oldLeader.role() == Role::Follower);
    CHECK(oldLeader.currentTerm() == 2);
}

TEST_CASE("checkTerm_ignoresLowerTermAppendResponse: §5.1 a leader drops responses of an "
          "earlier term") {
    // Leader of term 2 over a log [1]; a term-1 success claiming index 2 must not count.
    Node n = makeLeader(cfg(0, 3), DurableState{.currentTerm = 1, .log = terms({1})});
    REQUIRE(n.currentTerm() == 2);
    REQUIRE(termsOf(n) == std::vector<Term>{1, 2});
    const Progress before = n.progress(1);
    const Actions a = n.step(Receive{appendResponse(1, 0, 1, true, 2)});
    CHECK(a.empty());
    CHECK(n.progress(1) == before);
    CHECK(n.commitIndex() == 0);
    CHECK(n.role() == Role::Leader);
}

TEST_CASE("checkTerm_ignoresLowerTermVoteResponse: §5.1 a candidate drops a grant from an "
          "earlier term") {
    // Candidate of term 2 (after a split vote in term 1): a late term-1 grant is no vote.
    Node n = makeCandidate(cfg(0, 3));
    stepDurably(n, Timeout{Timer::Election});
    REQUIRE(n.currentTerm() == 2);
    const Actions a = n.step(Receive{voteResponse(1, 0, 1, true)});
    CHECK(a.empty());
    CHECK(n.role() == Role::Candidate);
    CHECK(n.votesGranted() == nodeBit(0));
}

TEST_CASE("checkTerm_termOnlyAnswerIsNoRejection: §5.1 a leader that has moved on to the "
          "answerer's term learns nothing from the answer to its older append") {
    // The leader of term 2 sent an append in term 1; the answer carries term 2 and no index.
    Node n = makeLeader(cfg(0, 3), DurableState{.currentTerm = 1, .log = terms({1})});
    REQUIRE(n.currentTerm() == 2);
    const Progress before = n.progress(1);
    const Actions a = n.step(Receive{appendResponse(1, 0, 2, false, 0)});
    CHECK(a.empty());  // no probe is restarted, nothing is sent
    CHECK(n.progress(1) == before);
    CHECK(n.role() == Role::Leader);
}

TEST_SUITE_END();
