// §5.2 leader election and §5.4.1 the election restriction.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("§5.2 elections");

TEST_CASE("onTimeout_followerBecomesCandidate: §5.2 an election timeout starts an election in "
          "the next term, voting for itself") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 2, .votedFor = 1, .log = terms({1, 1, 2})});
    CHECK(trace(n.step(Start{})) == "ArmTimer(Election)");
    const Actions a = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Candidate);
    CHECK(n.currentTerm() == 3);
    CHECK(n.votedFor() == 0);
    CHECK(n.votesGranted() == 0);  // its own vote counts once it is durable (thesis §3.8)
    CHECK(n.leaderId() == kNoNode);
    CHECK(trace(a) ==
          "PersistHardState(term=3,votedFor=0); ArmTimer(Election); "
          "Send(RequestVote,to=1,term=3); Send(RequestVote,to=2,term=3)");
    for (const Message& m : sent(a)) {
        CHECK(m.lastLogIndex == 3);
        CHECK(m.lastLogTerm == 2);
    }
}

TEST_CASE("handleRequestVote_oneVotePerTerm: §5.2 a follower grants one vote per term: a second "
          "candidate is refused, the same candidate asking again is granted again") {
    Node n(cfg(0, 3));
    n.step(Start{});

    const Actions first = n.step(Receive{requestVote(1, 0, 1, 0, 0)});
    CHECK(trace(first) ==
          "PersistHardState(term=1,votedFor=-1); "
          "PersistHardState(term=1,votedFor=1); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=1,term=1,granted)");
    CHECK(n.votedFor() == 1);

    const Actions second = n.step(Receive{requestVote(2, 0, 1, 0, 0)});
    CHECK(trace(second) == "Send(RequestVoteResponse,to=2,term=1,refused)");
    CHECK(n.votedFor() == 1);

    // A retransmitted request (its answer may have been lost) gets the same answer.
    const Actions again = n.step(Receive{requestVote(1, 0, 1, 0, 0)});
    CHECK(trace(again) ==
          "PersistHardState(term=1,votedFor=1); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=1,term=1,granted)");
    CHECK(n.votedFor() == 1);
    CHECK(n.currentTerm() == 1);
}

TEST_CASE("handleRequestVote_candidateAndLeaderRefuseSameTerm: §5.2 a candidate has voted for "
          "itself and a leader for someone, so both refuse another candidate of their term") {
    Node candidate = makeCandidate(cfg(0, 3));
    CHECK(trace(candidate.step(Receive{requestVote(1, 0, 1, 5, 1)})) ==
          "Send(RequestVoteResponse,to=1,term=1,refused)");
    CHECK(candidate.role() == Role::Candidate);

    Node leader = makeLeader(cfg(0, 3));
    CHECK(trace(leader.step(Receive{requestVote(1, 0, 1, 5, 1)})) ==
          "Send(RequestVoteResponse,to=1,term=1,refused)");
    CHECK(leader.role() == Role::Leader);
}

TEST_CASE("handleRequestVote_grantRearmsTimerAndPersistsBeforeSend: §5.2 granting a vote resets "
          "the election timer; the vote is durable before it is sent (thesis §3.8)") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 1});
    n.step(Start{});
    const Actions a = n.step(Receive{requestVote(2, 0, 1, 0, 0)});
    CHECK(trace(a) ==
          "PersistHardState(term=1,votedFor=2); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=2,term=1,granted)");
    const int persistAt = positionOf(a, [](const Action& x) {
        const auto* p = std::get_if<PersistHardState>(&x);
        return p != nullptr && p->votedFor == 2 && p->currentTerm == 1;
    });
    const int sendAt = positionOf(a, [](const Action& x) {
        const auto* s = std::get_if<Send>(&x);
        return s != nullptr && s->message.kind == MsgKind::RequestVoteResponse && s->message.success;
    });
    REQUIRE(persistAt >= 0);
    REQUIRE(sendAt >= 0);
    CHECK(persistAt < sendAt);

    // A refusal is no reason to wait longer for a leader: the timer is not touched.
    const Actions refused = n.step(Receive{requestVote(1, 0, 1, 0, 0)});
    CHECK(positionOf<ArmTimer>(refused) == -1);
    CHECK(positionOf<PersistHardState>(refused) == -1);
}

TEST_CASE("handleRequestVoteResponse_winsWithMajorityOf3: §5.2 one grant plus its own vote "
          "elects a candidate among 3") {
    Node n = makeCandidate(cfg(0, 3));
    const Actions a = n.step(Receive{voteResponse(2, 0, 1, true)});
    CHECK(n.role() == Role::Leader);
    CHECK(n.leaderId() == 0);
    CHECK(n.currentTerm() == 1);
    // §5.4.2/§8: the new leader's first act is a no-op of its term, sent to everyone.
    CHECK(trace(a) ==
          "CancelTimer(Election); ArmTimer(Heartbeat); PersistEntries(first=1,terms=[1]); "
          "Send(AppendEntries,to=1,term=1,prev=0,n=1); Send(AppendEntries,to=2,term=1,prev=0,n=1)");
    CHECK(n.log().at(1).kind == EntryKind::Noop);
    CHECK(n.commitIndex() == 0);
}

TEST_CASE("handleRequestVoteResponse_needsMajorityOf5: §5.2 among 5 a candidate needs two "
          "grants; duplicates and refusals do not count") {
    Node n = makeCandidate(cfg(0, 5));
    CHECK(n.step(Receive{voteResponse(1, 0, 1, true)}).empty());
    CHECK(n.role() == Role::Candidate);
    CHECK(n.step(Receive{voteResponse(1, 0, 1, true)}).empty());  // the same voter again
    CHECK(n.role() == Role::Candidate);
    CHECK(n.step(Receive{voteResponse(2, 0, 1, false)}).empty());
    CHECK(n.step(Receive{voteResponse(4, 0, 1, false)}).empty());
    CHECK(n.role() == Role::Candidate);
    CHECK(n.votesGranted() == (nodeBit(0) | nodeBit(1)));
    n.step(Receive{voteResponse(3, 0, 1, true)});
    CHECK(n.role() == Role::Leader);
}

TEST_CASE("handleRequestVoteResponse_minorityNeverWins: §5.2 with 2 of 5 votes the candidate "
          "stays a candidate after every answer is in") {
    Node n = makeCandidate(cfg(0, 5));
    n.step(Receive{voteResponse(1, 0, 1, true)});
    n.step(Receive{voteResponse(2, 0, 1, false)});
    n.step(Receive{voteResponse(3, 0, 1, false)});
    n.step(Receive{voteResponse(4, 0, 1, false)});
    CHECK(n.role() == Role::Candidate);
    CHECK(countOf(n.votesGranted()) == 2);
}

TEST_CASE("handleAppendEntries_candidateStepsDown: §5.2 a candidate that hears from the leader "
          "of its own term becomes its follower") {
    Node n = makeCandidate(cfg(0, 3));
    const Actions a = n.step(Receive{appendEntries(2, 0, 1, 0, 0, {}, 0)});
    CHECK(n.role() == Role::Follower);
    CHECK(n.leaderId() == 2);
    CHECK(n.currentTerm() == 1);
    CHECK(n.votedFor() == 0);  // its vote in term 1 stands
    CHECK(n.votesGranted() == 0);
    CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=2,term=1,ok,match=0)");
}

TEST_CASE("onTimeout_splitVoteStartsNewTerm: §5.2 a candidate whose election times out starts "
          "a new election in the next term") {
    Node n = makeCandidate(cfg(0, 3));
    n.step(Receive{voteResponse(1, 0, 1, false)});
    n.step(Receive{voteResponse(2, 0, 1, false)});
    REQUIRE(n.role() == Role::Candidate);
    const Actions a = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Candidate);
    CHECK(n.currentTerm() == 2);
    CHECK(n.votedFor() == 0);
    CHECK(n.votesGranted() == 0);  // the grants of term 1 are gone; its own is not yet durable
    CHECK(trace(a) ==
          "PersistHardState(term=2,votedFor=0); ArmTimer(Election); "
          "Send(RequestVote,to=1,term=2); Send(RequestVote,to=2,term=2)");
}

TEST_CASE("onTimeout_splitVoteResolvedByCluster: §5.2 two candidates split 4 nodes' votes in "
          "term 1; the one that times out first wins term 2") {
    Cluster c(4);
    c.step(0, Timeout{Timer::Election});
    c.step(1, Timeout{Timer::Election});
    // Node 2 hears 0 first, node 3 hears 1 first: 2 votes each, no majority of 3.
    c.pump([](const Message& m) {
        return m.kind == MsgKind::RequestVote &&
               ((m.from == 0 && m.to == 3) || (m.from == 1 && m.to == 2));
    });
    CHECK(c[0].role() == Role::Candidate);
    CHECK(c[1].role() == Role::Candidate);
    CHECK(c[2].votedFor() == 0);
    CHECK(c[3].votedFor() == 1);
    c.step(1, Timeout{Timer::Election});
    c.pump();
    CHECK(c[1].role() == Role::Leader);
    CHECK(c[1].currentTerm() == 2);
    for (NodeId i : {0, 2, 3}) {
        CHECK(c[i].role() == Role::Follower);
        CHECK(c[i].currentTerm() == 2);
        CHECK(c[i].leaderId() == 1);
    }
}

TEST_CASE("onTimeout_leaderIgnoresElectionTimer: §5.2 a leader does not start elections") {
    Node n = makeLeader(cfg(0, 3));
    CHECK(n.step(Timeout{Timer::Election}).empty());
    CHECK(n.role() == Role::Leader);
    CHECK(n.currentTerm() == 1);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("§5.4.1 election restriction");

namespace {

// A voter at term 2 whose log is [1, 1, 2], asked by candidate 1 in term 3.
Message askVoter(Node& voter, Index lastLogIndex, Term lastLogTerm, Actions* actions = nullptr) {
    voter.step(Start{});
    Actions a = voter.step(Receive{requestVote(1, 0, 3, lastLogIndex, lastLogTerm)});
    const std::vector<Message> out = sent(a);
    REQUIRE(out.size() == 1);
    if (actions != nullptr) *actions = std::move(a);
    return out[0];
}

const DurableState kVoter{.currentTerm = 2, .log = terms({1, 1, 2})};

}  // namespace

TEST_CASE("grantsVote_refusesLowerLastTerm: §5.4.1 a candidate whose last log term is lower is "
          "refused, however long its log") {
    Node voter(cfg(0, 3), kVoter);
    Actions a;
    const Message r = askVoter(voter, 10, 1, &a);
    CHECK_FALSE(r.success);
    CHECK(r.term == 3);
    CHECK(voter.currentTerm() == 3);  // §5.1 still applies to a refused candidate
    CHECK(voter.votedFor() == kNoNode);
    // Figure 2: a refused candidate does not reset the voter's election timer.
    CHECK(trace(a) ==
          "PersistHardState(term=3,votedFor=-1); "
          "Send(RequestVoteResponse,to=1,term=3,refused)");
}

TEST_CASE("grantsVote_refusesSameLastTermShorterLog: §5.4.1 equal last terms: the shorter log "
          "is refused") {
    Node voter(cfg(0, 3), kVoter);
    CHECK_FALSE(askVoter(voter, 2, 2).success);
    CHECK(voter.votedFor() == kNoNode);
}

TEST_CASE("grantsVote_grantsAtLeastAsUpToDate: §5.4.1 a log at least as up to date gets the "
          "vote") {
    SUBCASE("same last term, same length") {
        Node voter(cfg(0, 3), kVoter);
        CHECK(askVoter(voter, 3, 2).success);
        CHECK(voter.votedFor() == 1);
    }
    SUBCASE("same last term, longer") {
        Node voter(cfg(0, 3), kVoter);
        CHECK(askVoter(voter, 7, 2).success);
        CHECK(voter.votedFor() == 1);
    }
    SUBCASE("higher last term, shorter") {
        Node voter(cfg(0, 3), kVoter);
        CHECK(askVoter(voter, 1, 3).success);
        CHECK(voter.votedFor() == 1);
    }
}

TEST_CASE("grantsVote_refusesLowerLastTerm_bugs: §5.4.1 the two vote-check bugs grant what the "
          "tests above refuse") {
    SUBCASE("Bug::VoteLogCheckWrong compares the index first") {
        Node voter(cfg(0, 3, bugs(Bug::VoteLogCheckWrong)), kVoter);
        CHECK(askVoter(voter, 10, 1).success);
    }
    SUBCASE("Bug::VoteNoLogCheck skips the check") {
        Node voter(cfg(0, 3, bugs(Bug::VoteNoLogCheck)), kVoter);
        CHECK(askVoter(voter, 2, 2).success);
    }
}

TEST_CASE("election_restrictionKeepsCommittedEntries: §5.4.1 a node missing a committed entry "
          "cannot win an election") {
    // Node 0 leads term 1 and commits its no-op with node 1; node 2 saw nothing.
    Cluster c(3);
    c.elect(0);
    CHECK(c[0].commitIndex() == 1);
    c.network.clear();
    Cluster partitioned = c;
    // Node 2 never received the entry (say its messages were lost): rebuild it empty.
    partitioned.nodes[2] = Node(cfg(2, 3), DurableState{.currentTerm = 1});
    partitioned.disks[2] = DurableState{.currentTerm = 1};
    partitioned.step(2, Timeout{Timer::Election});
    partitioned.pump();
    CHECK(partitioned[2].role() == Role::Candidate);
    CHECK(partitioned[1].votedFor() == kNoNode);  // refused: its log is more up to date
    CHECK(partitioned[1].currentTerm() == 2);
}

TEST_SUITE_END();
