// General behaviour of Node::step that no single paper section owns: a one-node
// cluster, proposals, and what a freshly started node does.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("node");

TEST_CASE("start_armsElectionTimerOnly: §5.2 a node starts as a follower and only waits") {
    Node n(cfg(0, 3));
    const Actions a = n.step(Start{});
    CHECK(trace(a) == "ArmTimer(Election)");
    const ArmTimer t = only<ArmTimer>(a).at(0);
    CHECK(t.minUs == n.config().electionTimeoutMinUs);
    CHECK(t.maxUs == n.config().electionTimeoutMaxUs);
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == 0);
    CHECK(n.votedFor() == kNoNode);
}

TEST_CASE("onTimeout_singleNodeElectsItselfAndCommits: §5.2/§5.3 a one-node cluster is its own "
          "majority, counting itself once its writes are durable (thesis §3.8, §10.2.1)") {
    Node n(cfg(0, 1));
    n.step(Start{});
    CHECK(trace(n.step(Timeout{Timer::Election})) == "PersistHardState(term=1,votedFor=0); ArmTimer(Election)");
    CHECK(n.role() == Role::Candidate);  // its vote is not durable yet
    CHECK(trace(n.step(Persisted{.currentTerm = 1})) ==
          "CancelTimer(Election); ArmTimer(Heartbeat); PersistEntries(first=1,terms=[1])");
    CHECK(n.role() == Role::Leader);
    CHECK(n.commitIndex() == 0);  // its no-op is not durable yet
    CHECK(trace(n.step(Persisted{.currentTerm = 1, .lastIndex = 1, .lastTerm = 1})) == "Apply(first=1,n=1)");
    CHECK(n.commitIndex() == 1);
    CHECK(trace(n.step(Propose{command(0, 5)})) ==
          "PersistEntries(first=2,terms=[1]); ProposeReply(accepted=true,index=2)");
    CHECK(n.commitIndex() == 1);
    CHECK(trace(n.step(allDurable(n))) == "Apply(first=2,n=1)");
    CHECK(n.commitIndex() == 2);
}

TEST_CASE("onPropose_followerRefusesWithLeaderHint: §8 a client that reaches a follower is "
          "told who the leader is") {
    Node n(cfg(0, 3));
    n.step(Start{});
    n.step(Receive{appendEntries(2, 0, 1, 0, 0, {}, 0)});
    const Actions a = n.step(Propose{Entry{.clientId = 7, .seq = 3}});
    CHECK(trace(a) == "ProposeReply(accepted=false,index=0)");
    const ProposeReply r = only<ProposeReply>(a).at(0);
    CHECK(r.leaderHint == 2);
    CHECK(r.clientId == 7);
    CHECK(r.seq == 3);
    CHECK(n.log().lastIndex() == 0);
}

TEST_CASE("onPropose_leaderStampsTermAndKind: §5.3 the leader sets the entry's term and kind") {
    Node n = makeLeader(cfg(0, 3), DurableState{.currentTerm = 4});
    n.step(Propose{Entry{.term = 99, .kind = EntryKind::Noop, .clientId = 1, .seq = 2, .data = 3}});
    const Entry& e = n.log().at(2);
    CHECK(e.term == 5);
    CHECK(e.kind == EntryKind::Command);
    CHECK(e.clientId == 1);
    CHECK(e.seq == 2);
    CHECK(e.data == 3);
}

TEST_SUITE_END();
