// Log compaction (thesis §5.1-§5.3; Raft paper §7, figure 13): the log's snapshot base,
// a node compacting its own log, a follower installing its leader's snapshot, a leader
// sending one to a follower that needs discarded entries, and a restart from a snapshot.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("snapshot");

namespace {

// Leader `from`'s InstallSnapshot (figure 13's arguments; message.hpp maps the fields).
Message installSnapshot(NodeId from, NodeId to, Term term, Index last, Term lastTerm,
                        Index leaderCommit, std::uint64_t handle = 7) {
    Message m{.kind = MsgKind::InstallSnapshot, .from = from, .to = to, .term = term};
    m.lastLogIndex = last;
    m.lastLogTerm = lastTerm;
    m.prevLogIndex = handle;
    m.prevLogTerm = handle * 31;  // its hash
    m.snapshotVoters = 0b111;
    m.leaderCommit = leaderCommit;
    return m;
}

// A follower of a three-node cluster in term 2, restarted with log `log` (nothing committed).
Node followerWith(std::initializer_list<Term> log) {
    Node n(cfg(1, 3), DurableState{.currentTerm = 2, .log = terms(log)});
    n.step(Start{});
    return n;
}

// A three-node cluster led by 0, where node 2 missed every message after the first
// round and the others committed and applied `commands` more entries.
Cluster leaderAheadOfNode2(int commands) {
    Cluster c = settled();
    REQUIRE(c[2].log().lastIndex() == 1);
    for (int k = 0; k < commands; ++k) {
        c.step(0, Propose{command(0, 100 + static_cast<std::uint64_t>(k))});
        c.pump([](const Message& m) { return m.to == 2 || m.from == 2; });
    }
    REQUIRE(c[0].lastApplied() == 1 + static_cast<Index>(commands));
    return c;
}

bool isSnapshotTo(const Message& m, NodeId to) {
    return m.kind == MsgKind::InstallSnapshot && m.to == to;
}

}  // namespace

// ---- the log's base ----

TEST_CASE("raftLog_compactTo_keepsSuffix: §5.1 entries up to the snapshot are discarded, the "
          "base keeps its index and term") {
    RaftLog log(terms({1, 1, 2, 2, 3}));
    log.compactTo(3);
    CHECK(log.snapshotIndex() == 3);
    CHECK(log.snapshotTerm() == 2);
    CHECK(log.firstIndex() == 4);
    CHECK(log.lastIndex() == 5);
    CHECK(log.lastTerm() == 3);
    CHECK(log.termAt(3) == 2);
    CHECK(log.termAt(4) == 2);
    CHECK(log.at(5).term == 3);
    CHECK(termsOf(log.entries()) == std::vector<Term>{2, 3});
    CHECK(log.slice(4, 5).size() == 2);
    CHECK_THROWS_AS(log.termAt(2), InvariantFailure);  // discarded
    CHECK_THROWS_AS(log.at(3), InvariantFailure);      // the base is no entry we hold
    CHECK_THROWS_AS(log.truncateFrom(3), InvariantFailure);
    log.append(entry(3));
    CHECK(log.lastIndex() == 6);
    log.truncateFrom(5);
    CHECK(log.lastIndex() == 4);
}

TEST_CASE("raftLog_termSearches_stopAtBase: §5.3 fast backtracking never looks into the "
          "snapshot") {
    RaftLog log(terms({1, 2, 2, 2, 3}));
    log.compactTo(3);
    CHECK(log.firstIndexOfTermAt(4) == 4);  // index 2 and 3 hold term 2 too, but are gone
    CHECK(log.firstIndexOfTermAt(3) == 3);  // the base itself
    CHECK(log.lastIndexOfTerm(3) == 5);
    CHECK(log.lastIndexOfTerm(2) == 4);
    CHECK(log.lastIndexOfTerm(1) == 0);  // in the snapshot: unknown
    RaftLog empty(terms({1, 2, 2}));
    empty.compactTo(3);
    CHECK(empty.lastIndexOfTerm(2) == 3);  // only the base holds it
    CHECK(empty.lastTerm() == 2);
    CHECK(empty.isUpToDate(3, 2));
    CHECK_FALSE(empty.isUpToDate(5, 1));
}

TEST_CASE("raftLog_withoutSnapshot_isAsBefore: with base 0, index 0 has term 0 and entries() "
          "starts at index 1") {
    RaftLog log(terms({1, 2}));
    CHECK(log.snapshotIndex() == 0);
    CHECK(log.firstIndex() == 1);
    CHECK(log.termAt(0) == 0);
    CHECK(log.entries().front().term == 1);
    CHECK(log.lastIndexOfTerm(0) == 0);
}

// ---- a node compacts its own log ----

TEST_CASE("takeSnapshot_compactsAppliedPrefix: §5.1 the node records the snapshot's last "
          "included entry and configuration and discards its log up to it") {
    Cluster c = leaderAheadOfNode2(4);  // leader 0 applied 1..5
    const Actions a = c.compact(0, 4);
    CHECK(trace(a) == "PersistSnapshot(last=4,term=1,keep)");
    const Node& n = c[0];
    CHECK(n.log().snapshotIndex() == 4);
    CHECK(n.log().lastIndex() == 5);
    CHECK(n.snapshot().meta == SnapshotMeta{.lastIncludedIndex = 4, .lastIncludedTerm = 1,
                                            .voters = 0b111, .learners = 0});
    CHECK(c.disks[0].snapshot == n.snapshot());
    CHECK(c.disks[0].log.size() == 1);
}

TEST_CASE("takeSnapshot_beyondLastApplied_isRefused: §5.1 a state machine can only have "
          "saved what it applied; an index at or before the base is ignored") {
    Cluster c = leaderAheadOfNode2(3);  // applied 1..4
    CHECK_THROWS_AS(c[0].step(TakeSnapshot{.index = 5, .handle = 1}), InvariantFailure);
    CHECK(c[0].log().snapshotIndex() == 0);
    c.compact(0, 3);
    CHECK(trace(c[0].step(TakeSnapshot{.index = 2, .handle = 9})) == "");  // stale: nothing
    CHECK(trace(c[0].step(TakeSnapshot{.index = 3, .handle = 9})) == "");
    CHECK(c[0].snapshot().meta.lastIncludedIndex == 3);
    CHECK(c[0].snapshot().handle != 9);
}

// ---- a follower installs its leader's snapshot (figure 13) ----

TEST_CASE("installSnapshot_logHoldsLastEntry_keepsSuffix: figure 13 step 6 a follower whose "
          "log holds the snapshot's last entry keeps the entries after it") {
    Node n = followerWith({1, 1, 1, 2, 2});
    const Actions a = n.step(Receive{installSnapshot(0, 1, 2, 3, 1, 3)});
    CHECK(trace(a) ==
          "ArmTimer(Election); PersistSnapshot(last=3,term=1,keep); RestoreSnapshot(last=3); "
          "Send(AppendEntriesResponse,to=0,term=2,ok,match=3)");
    CHECK(n.log().snapshotIndex() == 3);
    CHECK(termsOf(n) == std::vector<Term>{2, 2});  // indexes 4 and 5 kept
    CHECK(n.commitIndex() == 3);
    CHECK(n.lastApplied() == 3);
    CHECK(n.leaderId() == 0);
    CHECK(n.snapshot().handle == 7);
    CHECK(n.snapshot().hash == 7 * 31);
    CHECK(n.snapshot().meta.voters == 0b111);
}

TEST_CASE("installSnapshot_logLacksLastEntry_discardsLog: figure 13 step 7 a follower whose "
          "log does not hold the snapshot's last entry discards its whole log") {
    SUBCASE("a different term at that index") {
        Node n = followerWith({1, 1, 1, 1, 1});
        const Actions a = n.step(Receive{installSnapshot(0, 1, 2, 3, 2, 3)});
        CHECK(only<PersistSnapshot>(a).at(0).keepLog == false);
        CHECK(n.log().snapshotIndex() == 3);
        CHECK(n.log().lastIndex() == 3);
        CHECK(n.log().lastTerm() == 2);
        CHECK(n.log().entries().empty());
    }
    SUBCASE("a log too short") {
        Node n = followerWith({1});
        n.step(Receive{installSnapshot(0, 1, 2, 6, 2, 6)});
        CHECK(n.log().snapshotIndex() == 6);
        CHECK(n.log().entries().empty());
        CHECK(n.commitIndex() == 6);
    }
}

TEST_CASE("installSnapshot_older_isIgnored: figure 13 a snapshot covering no more than the "
          "follower committed changes nothing, and commitIndex never moves back") {
    Node n = followerWith({1, 1, 1, 2, 2});
    n.step(Receive{appendEntries(0, 1, 2, 5, 2, {}, 4)});
    REQUIRE(n.commitIndex() == 4);
    const RaftLog before = n.log();
    const Actions a = n.step(Receive{installSnapshot(0, 1, 2, 3, 1, 3)});
    CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=0,term=2,ok,match=4)");
    CHECK(n.log() == before);
    CHECK(n.commitIndex() == 4);
    CHECK(n.snapshot().empty());
}

TEST_CASE("installSnapshot_answer_waitsForDurability: §3.8 the acknowledgement follows the "
          "snapshot's write, and the state machine is restored before later entries apply") {
    Node n = followerWith({1});
    const Actions a = n.step(Receive{installSnapshot(0, 1, 2, 4, 2, 4)});
    const int persistAt = positionOf<PersistSnapshot>(a);
    const int restoreAt = positionOf<RestoreSnapshot>(a);
    const int sendAt = positionOf<Send>(a);
    REQUIRE(persistAt >= 0);
    CHECK(persistAt < restoreAt);
    CHECK(restoreAt < sendAt);
    // The entries after the snapshot apply from its last included index on.
    const Actions b = n.step(Receive{appendEntries(0, 1, 2, 4, 2, terms({2, 2}), 6)});
    CHECK(trace(b) == "ArmTimer(Election); PersistEntries(first=5,terms=[2,2]); Apply(first=5,n=2); "
                      "Send(AppendEntriesResponse,to=0,term=2,ok,match=6)");
}

TEST_CASE("installSnapshot_staleTerm_answeredWithTerm: §5.1 a deposed leader's snapshot is "
          "refused with the follower's term") {
    Node n = followerWith({1, 1});
    const Actions a = n.step(Receive{installSnapshot(0, 1, 1, 2, 1, 2)});
    CHECK(trace(a) == "Send(AppendEntriesResponse,to=0,term=2,reject=0)");
    CHECK(n.snapshot().empty());
}

TEST_CASE("appendEntries_prevBelowSnapshot_overlapMatches: §5.3 an AppendEntries starting "
          "inside the follower's snapshot appends what follows the snapshot") {
    Node n = followerWith({1});
    n.step(Receive{installSnapshot(0, 1, 2, 3, 1, 3)});
    REQUIRE(n.log().snapshotIndex() == 3);
    SUBCASE("entries reaching past the base") {
        const Actions a = n.step(Receive{appendEntries(0, 1, 2, 1, 1, terms({1, 1, 2, 2}), 3)});
        CHECK(trace(a) == "ArmTimer(Election); PersistEntries(first=4,terms=[2,2]); "
                          "Send(AppendEntriesResponse,to=0,term=2,ok,match=5)");
        CHECK(n.log().lastIndex() == 5);
    }
    SUBCASE("entries all inside the snapshot") {
        const Actions a = n.step(Receive{appendEntries(0, 1, 2, 0, 0, terms({1, 1}), 2)});
        CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=0,term=2,ok,match=3)");
        CHECK(n.log().lastIndex() == 3);
    }
}

// ---- a leader sends its snapshot ----

TEST_CASE("leader_followerBehindSnapshot_getsInstallSnapshot: §5.3 a leader that discarded "
          "the entries a follower needs sends its snapshot, then resumes AppendEntries") {
    Cluster c = leaderAheadOfNode2(5);  // leader applied 1..6; node 2 holds 1
    c.compact(0, 6);
    c.delivered.clear();
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump();
    // Fast backtracking ends below the base: the follower gets the snapshot.
    const auto snapshotsTo2 = std::count_if(c.delivered.begin(), c.delivered.end(),
                                            [](const Message& m) { return isSnapshotTo(m, 2); });
    CHECK(snapshotsTo2 == 1);
    CHECK(c[2].snapshot() == c[0].snapshot());
    CHECK(c[2].commitIndex() == 6);
    CHECK(c[0].progress(2).matchIndex == 6);
    CHECK(c[0].progress(2).replicating);
    // Replication continues after the snapshot.
    c.step(0, Propose{command(0, 200)});
    c.pump();
    CHECK(c[2].log().lastIndex() == 7);
    CHECK(c[2].log().at(7).data == 200);
    CHECK(c[2].commitIndex() == 7);
    CHECK(c.applied[2] == c.applied[0]);  // the restored state machine, then entry 7
    CHECK(c.applied[2].size() == 7);
}

TEST_CASE("leader_lostSnapshot_sentAgainAtHeartbeat: §5.3 an InstallSnapshot that is lost is "
          "sent again at the next heartbeat") {
    Cluster c = leaderAheadOfNode2(3);
    c.compact(0, 4);
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump([](const Message& m) { return isSnapshotTo(m, 2); });  // lost
    CHECK(c[2].snapshot().empty());
    c.delivered.clear();
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump();
    CHECK(std::any_of(c.delivered.begin(), c.delivered.end(),
                      [](const Message& m) { return isSnapshotTo(m, 2); }));
    CHECK(c[2].snapshot() == c[0].snapshot());
    CHECK(c.applied[2] == c.applied[0]);
}

TEST_CASE("transfer_targetBehindSnapshot: §3.10 a transfer target behind the leader's snapshot "
          "is caught up with InstallSnapshot, then told to campaign, and wins") {
    Cluster c = leaderAheadOfNode2(3);  // leader applied 1..4; node 2 holds 1
    c.compact(0, 4);
    CHECK(only<TransferReply>(c.step(0, TransferLeadership{2})).at(0).accepted);
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump();
    CHECK(std::any_of(c.delivered.begin(), c.delivered.end(),
                      [](const Message& m) { return isSnapshotTo(m, 2); }));
    CHECK(c[2].role() == Role::Leader);
    CHECK(c[2].log().snapshotIndex() == 4);
    // The new leader replicates from after its snapshot's base: every log ends alike.
    CHECK(c[0].log().lastIndex() == 5);
    CHECK(c[0].log().termAt(5) == c[2].currentTerm());
    CHECK(c[1].log().lastTerm() == c[2].currentTerm());
}

// ---- restart ----

TEST_CASE("restart_fromSnapshotAndLog: §5.1 a restarted node's log starts at its snapshot, "
          "commitIndex and lastApplied at its last included index, and the state machine is "
          "restored from it") {
    Cluster c = leaderAheadOfNode2(4);  // applied 1..5 on 0 and 1
    c.compact(1, 3);
    const Actions a = c.restart(1);
    CHECK(trace(a) == "RestoreSnapshot(last=3); ArmTimer(Election)");
    const Node& n = c[1];
    CHECK(n.log().snapshotIndex() == 3);
    CHECK(n.log().lastIndex() == 5);
    CHECK(n.commitIndex() == 3);
    CHECK(n.lastApplied() == 3);
    CHECK(c.applied[1].size() == 3);
    // The leader's next heartbeat brings the commit; entries 4 and 5 apply from the log.
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump([](const Message& m) { return m.to == 2; });
    CHECK(n.commitIndex() == 5);
    CHECK(c.applied[1] == c.applied[0]);
}

TEST_CASE("restart_withoutSnapshot_noRestore: a node that never took a snapshot restarts as "
          "before") {
    Cluster c = settled();
    CHECK(trace(c.restart(1)) == "ArmTimer(Election)");
    CHECK(c[1].log().snapshotIndex() == 0);
}

TEST_CASE("fingerprint_coversSnapshot: two nodes alike but for their snapshot hash apart") {
    Cluster c = leaderAheadOfNode2(3);
    const Node before = c[1];
    c.compact(1, 2);
    CHECK(c[1].fingerprint() != before.fingerprint());
    Cluster d = leaderAheadOfNode2(3);
    CHECK(d[1].fingerprint() == before.fingerprint());  // no snapshot: the same as ever
}

TEST_SUITE_END();
