// Leadership transfer (thesis §3.10): the leader brings a follower up to date, stops
// taking client requests, and sends it TimeoutNow; the follower campaigns at once and
// wins the next term. A transfer that does not complete within an election timeout is
// aborted, and the leader takes requests again.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

namespace {

bool refusedProposal(const Actions& a) {
    const auto replies = only<ProposeReply>(a);
    return replies.size() == 1 && !replies[0].accepted;
}

TransferReply transferReply(const Actions& a) {
    const auto replies = only<TransferReply>(a);
    REQUIRE(replies.size() == 1);
    return replies[0];
}

int heartbeatsToAbort(const Node& n) { return transferTimeoutTicks(n.config()); }

}  // namespace

TEST_SUITE_BEGIN("§3.10 leadership transfer");

TEST_CASE("transfer_toUpToDateFollowerMakesItLeaderOfNextTerm: §3.10 the leader sends "
          "TimeoutNow at once to a follower that holds its whole log, and it wins term 2") {
    Cluster c = settled();
    const Actions a = c.step(0, TransferLeadership{2});
    CHECK(transferReply(a).accepted);
    CHECK(transferReply(a).target == 2);
    CHECK(c[0].transferTarget() == 2);
    REQUIRE(sent(a).size() == 1);
    CHECK(sent(a)[0].kind == MsgKind::TimeoutNow);
    CHECK(sent(a)[0].to == 2);
    c.pump();
    CHECK(c[2].role() == Role::Leader);
    CHECK(c[2].currentTerm() == 2);
    CHECK(c[0].role() == Role::Follower);
    CHECK(c[0].transferTarget() == kNoNode);
}

TEST_CASE("transfer_toLaggingFollowerCatchesItUpFirst: §3.10 the leader sends the target "
          "what it lacks and TimeoutNow only once its matchIndex reaches the leader's log") {
    Cluster c = settled();
    c.step(0, Propose{Entry{.clientId = 1, .seq = 1}});
    c.pump([](const Message& m) { return m.to == 1; });  // follower 1 misses the entry
    REQUIRE(c[0].progress(1).matchIndex < c[0].log().lastIndex());
    const Actions a = c.step(0, TransferLeadership{1});
    CHECK(transferReply(a).accepted);
    for (const Message& m : sent(a)) CHECK(m.kind != MsgKind::TimeoutNow);
    c.step(0, Timeout{Timer::Heartbeat});  // the probe goes out again; 1 catches up
    bool timeoutNowSent = false;
    while (!c.network.empty()) {
        const Message m = c.network.front();
        c.network.pop_front();
        if (m.kind == MsgKind::TimeoutNow) {
            CHECK(c[0].progress(1).matchIndex == c[0].log().lastIndex());
            timeoutNowSent = true;
        }
        c.deliver(m);
    }
    CHECK(timeoutNowSent);
    CHECK(c[1].role() == Role::Leader);
    CHECK(c[1].log().lastIndex() >= 3);
}

TEST_CASE("transfer_mostUpToDateFollowerWhenNoTarget: §3.10 with no target named the "
          "leader picks the follower with the highest matchIndex, ties to the lowest id") {
    Cluster c = settled();
    c.step(0, Propose{Entry{.clientId = 1, .seq = 1}});
    c.pump([](const Message& m) { return m.to == 1; });
    CHECK(transferReply(c.step(0, TransferLeadership{kNoNode})).target == 2);
    Cluster tie = settled();
    CHECK(transferReply(tie.step(0, TransferLeadership{kNoNode})).target == 1);
}

TEST_CASE("transfer_proposalsRefusedDuringTransfer: §3.10 the leader stops accepting client "
          "requests while the transfer is under way, with no leader hint") {
    Cluster c = settled();
    c.step(0, TransferLeadership{2});
    c.network.clear();  // the TimeoutNow is lost
    const Actions a = c.step(0, Propose{Entry{.clientId = 1, .seq = 1}});
    CHECK(refusedProposal(a));
    CHECK(only<ProposeReply>(a)[0].leaderHint == kNoNode);
    CHECK_FALSE(writes(a));
}

TEST_CASE("transfer_abortAfterElectionTimeoutResumesProposals: §3.10 a transfer that does "
          "not complete within an election timeout is aborted; proposals are accepted again") {
    Cluster c = settled();
    c.step(0, TransferLeadership{2});
    c.network.clear();
    for (int tick = 1; tick < heartbeatsToAbort(c[0]); ++tick) {
        c.step(0, Timeout{Timer::Heartbeat});
        c.network.clear();
        CHECK(c[0].transferTarget() == 2);
    }
    c.step(0, Timeout{Timer::Heartbeat});
    CHECK(c[0].transferTarget() == kNoNode);
    CHECK(c[0].role() == Role::Leader);
    const auto replies = only<ProposeReply>(c.step(0, Propose{Entry{.clientId = 1, .seq = 1}}));
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
}

TEST_CASE("transfer_neverAbortedBug: with transfer-never-aborted the leader refuses "
          "proposals long after an election timeout") {
    Cluster c = settled(Config{.bugs = bugs(Bug::TransferNeverAborted)});
    c.step(0, TransferLeadership{2});
    c.network.clear();
    for (int tick = 0; tick < 3 * heartbeatsToAbort(c[0]); ++tick) {
        c.step(0, Timeout{Timer::Heartbeat});
        c.network.clear();
    }
    CHECK(c[0].transferTarget() == 2);
    CHECK(refusedProposal(c.step(0, Propose{Entry{.clientId = 1, .seq = 1}})));
}

TEST_CASE("transfer_proposeDuringTransferBug: with propose-during-transfer the leader "
          "accepts proposals while it transfers") {
    Cluster c = settled(Config{.bugs = bugs(Bug::ProposeDuringTransfer)});
    c.step(0, TransferLeadership{2});
    c.network.clear();
    const auto replies = only<ProposeReply>(c.step(0, Propose{Entry{.clientId = 1, .seq = 1}}));
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
}

TEST_CASE("transfer_refusals: §3.10 a follower, the leader itself, an unknown node and a "
          "second transfer are refused with their reason") {
    Cluster c = settled();
    CHECK(transferReply(c.step(1, TransferLeadership{2})).reason == TransferRefusal::NotLeader);
    CHECK(transferReply(c.step(0, TransferLeadership{0})).reason == TransferRefusal::SelfTarget);
    CHECK(transferReply(c.step(0, TransferLeadership{7})).reason == TransferRefusal::UnknownTarget);
    c.step(0, TransferLeadership{1});
    c.network.clear();
    const TransferReply second = transferReply(c.step(0, TransferLeadership{2}));
    CHECK_FALSE(second.accepted);
    CHECK(second.reason == TransferRefusal::InProgress);
    Node alone = makeLeader(cfg(0, 1));
    CHECK(transferReply(alone.step(TransferLeadership{kNoNode})).reason == TransferRefusal::SelfTarget);
}

TEST_CASE("transfer_timeoutNowSkipsPreVote: §3.10, §9.6 the target campaigns at once even "
          "with PreVote on, its RequestVote flagged as a leadership transfer") {
    Config base;
    base.preVote = true;
    Cluster c(3, base);
    c.step(0, Timeout{Timer::Election});
    c.pump();
    REQUIRE(c[0].role() == Role::Leader);
    c.pump();
    const Actions a = c.step(0, TransferLeadership{1});
    REQUIRE(sent(a).size() == 1);
    const Actions b = c.deliver(sent(a)[0]);
    c.network.clear();
    CHECK(c[1].role() == Role::Candidate);
    CHECK(c[1].currentTerm() == c[0].currentTerm() + 1);
    const auto votes = sent(b);
    REQUIRE(votes.size() == 2);
    for (const Message& m : votes) {
        CHECK(m.kind == MsgKind::RequestVote);
        CHECK(m.leadershipTransfer);
    }
}

TEST_CASE("transfer_staleTimeoutNowIgnored: §3.10, §5.1 a TimeoutNow of an earlier term "
          "changes nothing; with stale-timeout-now it starts an election") {
    Cluster c = settled();
    c.step(0, TransferLeadership{2});
    const Message timeoutNow = c.network.front();
    c.pump();
    REQUIRE(c[2].role() == Role::Leader);
    REQUIRE(c[1].currentTerm() == 2);
    Message stale = timeoutNow;
    stale.to = 1;
    const Actions a = c.deliver(stale);
    CHECK(a.empty());
    CHECK(c[1].role() == Role::Follower);
    CHECK(c[1].currentTerm() == 2);

    Node buggy(cfg(1, 3, bugs(Bug::StaleTimeoutNow)), DurableState{.currentTerm = 2});
    buggy.step(Start{});
    buggy.step(Receive{stale});
    CHECK(buggy.role() == Role::Candidate);
    CHECK(buggy.currentTerm() == 3);
}

TEST_CASE("transfer_endsWithLeadership: §3.10 a leader that steps down forgets its transfer") {
    Cluster c = settled();
    c.step(0, TransferLeadership{2});
    c.network.clear();
    c.deliver(requestVote(1, 0, 5, c[0].log().lastIndex(), c[0].log().lastTerm()));
    CHECK(c[0].role() == Role::Follower);
    CHECK(c[0].transferTarget() == kNoNode);
}

TEST_SUITE_END();
