// Durability (figure 2's persistent state, thesis §3.8): what a node persists, in which
// order relative to what it sends, and what it recovers after a restart. The durable
// state is rebuilt only from the Persist* actions the node emitted.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("durability");

namespace {

// A node that voted for 1 in term 1; returns its disk as its actions left it.
DurableState voteThenCrash(const Config& c) {
    Node n(c);
    DurableState disk;
    persist(disk, n.step(Start{}));
    const Actions a = n.step(Receive{requestVote(1, 0, 1, 0, 0)});
    REQUIRE(sent(a).at(0).success);
    persist(disk, a);
    return disk;  // the node's memory is gone
}

}  // namespace

TEST_CASE("restart_keepsVote: §5.2/figure 2 a voter restarted from its durable state refuses a "
          "different candidate of the same term") {
    const DurableState disk = voteThenCrash(cfg(0, 3));
    CHECK(disk.currentTerm == 1);
    CHECK(disk.votedFor == 1);
    Node n(cfg(0, 3), disk);
    CHECK(trace(n.step(Start{})) == "ArmTimer(Election)");
    CHECK(trace(n.step(Receive{requestVote(2, 0, 1, 0, 0)})) ==
          "Send(RequestVoteResponse,to=2,term=1,refused)");
    CHECK(trace(n.step(Receive{requestVote(1, 0, 1, 0, 0)})) ==
          "PersistHardState(term=1,votedFor=1); ArmTimer(Election); "
          "Send(RequestVoteResponse,to=1,term=1,granted)");
}

TEST_CASE("restart_keepsVote_bugForgetVote: figure 2 with Bug::ForgetVote the restarted voter "
          "votes a second time in the same term") {
    const Config c = cfg(0, 3, bugs(Bug::ForgetVote));
    const DurableState disk = voteThenCrash(c);
    CHECK(disk.votedFor == kNoNode);  // the vote never reached the disk
    Node n(c, disk);
    n.step(Start{});
    CHECK(sent(n.step(Receive{requestVote(2, 0, 1, 0, 0)})).at(0).success);  // a double vote
}

TEST_CASE("restart_candidateKeepsItsOwnVote: §5.2 a candidate restarted in its term still "
          "counts as having voted for itself") {
    Node cand(cfg(0, 3));
    DurableState disk;
    persist(disk, cand.step(Start{}));
    const Actions a = cand.step(Timeout{Timer::Election});
    // The self-vote is durable before any RequestVote leaves.
    CHECK(positionOf<PersistHardState>(a) < positionOf<Send>(a));
    persist(disk, a);
    Node n(cfg(0, 3), disk);
    n.step(Start{});
    CHECK(n.role() == Role::Follower);
    CHECK(n.votedFor() == 0);
    CHECK_FALSE(sent(n.step(Receive{requestVote(1, 0, 1, 0, 0)})).at(0).success);
}

TEST_CASE("handleAppendEntries_persistsBeforeAck: thesis §3.8 a follower's new entries are "
          "durable before its success leaves") {
    SUBCASE("appending") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1});
        n.step(Start{});
        const Actions a = n.step(Receive{appendEntries(1, 0, 1, 0, 0, terms({1, 1}), 0)});
        const int persistAt = positionOf<PersistEntries>(a);
        const int sendAt = positionOf<Send>(a);
        REQUIRE(persistAt >= 0);
        REQUIRE(sendAt >= 0);
        CHECK(persistAt < sendAt);
        CHECK(sent(a)[0].success);
        CHECK(trace(a) ==
              "ArmTimer(Election); PersistEntries(first=1,terms=[1,1]); "
              "Send(AppendEntriesResponse,to=1,term=1,ok,match=2)");
    }
    SUBCASE("truncating and appending after a higher term") {
        DurableState disk{.currentTerm = 1, .log = terms({1, 1, 1})};
        Node n(cfg(0, 3), disk);
        n.step(Start{});
        const Actions a = n.step(Receive{appendEntries(2, 0, 2, 1, 1, terms({2}), 0)});
        CHECK(positionOf<PersistHardState>(a) < positionOf<Send>(a));
        CHECK(positionOf<PersistEntries>(a) < positionOf<Send>(a));
        persist(disk, a);
        CHECK(disk == DurableState{.currentTerm = 2, .votedFor = kNoNode, .log = terms({1, 2})});
        CHECK(termsOf(n) == std::vector<Term>{1, 2});
    }
}

TEST_CASE("appendAsLeader_persistsBeforeSendAndReply: thesis §3.8 a leader persists a proposed "
          "entry before it sends it or answers the client") {
    Node n = makeLeader(cfg(0, 3));
    n.step(Receive{appendResponse(1, 0, 1, true, 1)});  // replicating to 1 now
    const Actions a = n.step(Propose{command(0, 42)});
    CHECK(trace(a) ==
          "PersistEntries(first=2,terms=[1]); Send(AppendEntries,to=1,term=1,prev=1,n=1); "
          "ProposeReply(accepted=true,index=2)");
    const ProposeReply r = only<ProposeReply>(a).at(0);
    CHECK(r.term == 1);
    CHECK(r.leaderHint == 0);
}

TEST_CASE("restart_resetsVolatileState: figure 2 a restarted node is a follower with "
          "commitIndex 0 and keeps its term, vote and log") {
    Cluster c(3);
    c.elect(0);
    for (std::uint64_t i = 1; i <= 3; ++i) c.step(0, Propose{command(0, i)});
    c.pump();
    REQUIRE(c[1].commitIndex() == 4);
    const std::vector<Entry> log = c[0].log().entries();

    SUBCASE("a follower") {
        CHECK(trace(c.restart(1)) == "ArmTimer(Election)");
        CHECK(c[1].role() == Role::Follower);
        CHECK(c[1].currentTerm() == 1);
        CHECK(c[1].votedFor() == 0);
        CHECK(c[1].log().entries() == log);
        CHECK(c[1].commitIndex() == 0);
        CHECK(c[1].lastApplied() == 0);
        CHECK(c[1].leaderId() == kNoNode);
        // The leader's next heartbeat restores commitIndex; everything is applied again
        // from the start (the state machine is volatile too).
        c.step(0, Timeout{Timer::Heartbeat});
        c.pump();
        CHECK(c[1].commitIndex() == 4);
        CHECK(c.applied[1] == log);
    }
    SUBCASE("the leader") {
        CHECK(trace(c.restart(0)) == "ArmTimer(Election)");
        CHECK(c[0].role() == Role::Follower);
        CHECK(c[0].currentTerm() == 1);
        CHECK(c[0].votedFor() == 0);
        CHECK(c[0].log().entries() == log);
        CHECK(c[0].commitIndex() == 0);
        CHECK(c[0].lastApplied() == 0);
        // A new leader of term 2 brings it back.
        c.elect(1);
        CHECK(c[0].currentTerm() == 2);
        CHECK(c[0].leaderId() == 1);
        CHECK(c[0].commitIndex() == 5);
        CHECK(c.applied[0] == c[1].log().entries());
    }
}

TEST_CASE("restart_diskMatchesNode: figure 2 after every step of a run the disk rebuilt from the "
          "Persist actions equals the node's persistent state") {
    // Cluster::step checks disk == (currentTerm, votedFor, log) after every step; this run
    // goes through elections, truncation and restarts so those checks see every path.
    Cluster c(3);
    c.elect(0);
    c.step(0, Propose{command(0, 1)});
    c.network.clear();  // lost: only node 0 has index 2
    c.elect(1);         // node 1 wins term 2 with node 2; node 0 is told and truncates
    c.restart(0);
    c.restart(2);
    c.step(1, Timeout{Timer::Heartbeat});
    c.pump();
    CHECK(termsOf(c[0]) == std::vector<Term>{1, 2});
    CHECK(c.disks[0].log == c[0].log().entries());
    CHECK(c.disks[0].currentTerm == 2);
    CHECK(c.disks[0].votedFor == kNoNode);  // it refused node 1: its log was longer
    CHECK(c[0].commitIndex() == 2);
}

// ---- a node counts itself only for what is on its disk (thesis §3.8, §10.2.1) ----

TEST_CASE("onPersisted_singleNodeCommitsOnlyDurableEntries: §10.2.1 a one-node leader's entry "
          "is committed once its own write completes, so a crash before then loses nothing "
          "committed") {
    Node n = makeLeader(cfg(0, 1));
    REQUIRE(n.commitIndex() == 1);  // its no-op, durable
    DurableState disk{.currentTerm = 1, .votedFor = 0, .log = terms({1})};
    const Actions a = n.step(Propose{command(0, 9)});
    CHECK(positionOf<PersistEntries>(a) < positionOf<ProposeReply>(a));
    CHECK(positionOf<Apply>(a) == -1);
    CHECK(n.commitIndex() == 1);  // index 2 is in memory only
    CHECK(n.progress(0).matchIndex == 1);
    // The crash comes before the write completes: the restarted node lacks index 2, and
    // nothing ever counted it as committed.
    Node back(cfg(0, 1), disk);
    CHECK(back.log().lastIndex() == 1);
    // Had the write completed, the report commits it.
    CHECK(trace(n.step(Persisted{.currentTerm = 1, .lastIndex = 2, .lastTerm = 1})) == "Apply(first=2,n=1)");
    CHECK(n.commitIndex() == 2);
    CHECK(n.progress(0).matchIndex == 2);
}

TEST_CASE("onPersisted_candidateCountsItsVoteWhenDurable: §3.8 a one-node candidate leads only "
          "once its term and vote are on disk") {
    Node n(cfg(0, 1));
    n.step(Start{});
    n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Candidate);
    CHECK(n.votesGranted() == 0);
    // A report of an older write (term 0) changes nothing.
    CHECK(n.step(Persisted{.currentTerm = 0}).empty());
    CHECK(n.role() == Role::Candidate);
    n.step(Persisted{.currentTerm = 1});
    CHECK(n.role() == Role::Leader);
    CHECK(n.votesGranted() == nodeBit(0));
}

TEST_CASE("onPersisted_twoNodesLeaderCountsItselfWhenDurable: §10.2.1 with two nodes the "
          "follower's acknowledgement alone does not commit while the leader's write is pending") {
    Node n = makeLeader(cfg(0, 2));
    REQUIRE(n.log().lastIndex() == 1);
    REQUIRE(n.progress(0).matchIndex == 1);
    n.step(Propose{command(0, 4)});  // index 2, not yet durable here
    // The follower has index 2 (the message could leave early in a parallel write): index
    // 1 is on both disks and commits, index 2 is not.
    const Actions a = n.step(Receive{appendResponse(1, 0, 1, true, 2)});
    CHECK(only<Apply>(a).size() == 1);
    CHECK(only<Apply>(a).at(0).lastIndex == 1);
    CHECK(n.commitIndex() == 1);
    CHECK(trace(n.step(allDurable(n))).starts_with("Apply(first=2,n=1)"));
    CHECK(n.commitIndex() == 2);
}

TEST_CASE("onPersisted_reportOfTruncatedEntryIgnored: §5.3 a report of a write whose last entry "
          "the log no longer holds does not mark the new entries durable") {
    Node n(cfg(1, 3), DurableState{.currentTerm = 1, .log = terms({1, 1})});
    n.step(Start{});
    // Term-2 leader 0 replaces index 2 with its own entry; that write is pending.
    n.step(Receive{appendEntries(0, 1, 2, 1, 1, terms({2}), 0)});
    REQUIRE(termsOf(n) == std::vector<Term>{1, 2});
    CHECK(n.stableIndex() == 1);
    n.step(Persisted{.currentTerm = 2, .lastIndex = 2, .lastTerm = 1});  // the old entry's write
    CHECK(n.stableIndex() == 1);
    n.step(Persisted{.currentTerm = 2, .lastIndex = 2, .lastTerm = 2});
    CHECK(n.stableIndex() == 2);
}

TEST_CASE("selfCountBeforePersist_bug: lni/dragonboat #224 with the switch on, a one-node leader "
          "commits an entry that is only in memory") {
    Node n(cfg(0, 1, bugs(Bug::SelfCountBeforePersist)));
    n.step(Start{});
    const Actions a = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Leader);
    CHECK(n.commitIndex() == 1);  // before the no-op's write completed
    CHECK(positionOf<PersistEntries>(a) < positionOf<Apply>(a));
}

TEST_SUITE_END();
