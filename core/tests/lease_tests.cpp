// Lease-based reads (thesis §6.4.1) and the vote guard they rest on (§4.2.3): a leader
// whose heartbeat sent at `start` was answered by a majority serves reads without a round
// until start + electionTimeoutMin * (100 - drift) / (100 + drift) of its own clock,
// because every node that answered disregards RequestVote until its election timer fires.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

namespace {

Config withLeases(BugSet bugs = {}, int driftPercent = 0) {
    Config c;
    c.leaseReads = true;
    c.clockDriftPercent = driftPercent;
    c.bugs = bugs;
    return c;
}

// The leader's heartbeat at `nowUs` of its clock, answered by every follower.
void renewLease(Cluster& c, Micros nowUs) {
    c.network.clear();
    c.step(0, Timeout{Timer::Heartbeat, nowUs});
    c.pump();
}

std::vector<ReadReply> readAt(Cluster& c, Micros nowUs, Actions* actions = nullptr) {
    c.network.clear();
    const Actions a = c.step(0, Read{.clientId = 3, .seq = 1, .localTimeUs = nowUs});
    if (actions != nullptr) *actions = a;
    return only<ReadReply>(a);
}

Message requestVote(NodeId from, NodeId to, Term term, const Node& voter, bool transfer = false) {
    return Message{.kind = MsgKind::RequestVote,
                   .from = from,
                   .to = to,
                   .term = term,
                   .lastLogIndex = voter.log().lastIndex(),
                   .lastLogTerm = voter.log().lastTerm(),
                   .leadershipTransfer = transfer};
}

constexpr Micros kStart = 1'000'000;

}  // namespace

TEST_SUITE_BEGIN("§6.4.1 leases");

TEST_CASE("lease_servesAtOnceWithinTheLease: §6.4.1 after a majority answers a heartbeat, "
          "the leader answers a read with no round, until the lease ends") {
    Cluster c = settled(withLeases());
    renewLease(c, kStart);
    const Micros lease = c[0].config().electionTimeoutMinUs;  // no drift allowed for
    Actions a;
    const auto replies = readAt(c, kStart + lease - 1, &a);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
    CHECK(replies[0].onLease);
    CHECK(replies[0].index == c[0].commitIndex());
    CHECK(sent(a).empty());
    CHECK(c[0].leaseHolds(kStart + lease - 1));
    CHECK_FALSE(c[0].leaseHolds(kStart + lease));
}

TEST_CASE("lease_expiredFallsBackToARound: §6.4.1 once the lease has run out, a read waits "
          "for a round of heartbeats as in §6.4") {
    Cluster c = settled(withLeases());
    renewLease(c, kStart);
    Actions a;
    CHECK(readAt(c, kStart + c[0].config().electionTimeoutMinUs, &a).empty());
    CHECK(sent(a).size() == 2);  // the round
    REQUIRE(c[0].pendingReads().size() == 1);
    CHECK_FALSE(c[0].pendingReads()[0].onLease);
}

TEST_CASE("lease_driftShortensIt: §6.4.1 with clocks within 100 +- 50 percent of real time, "
          "the lease lasts a third of the minimum election timeout") {
    Cluster c = settled(withLeases({}, 50));
    renewLease(c, kStart);
    const Micros lease = c[0].config().electionTimeoutMinUs * 50 / 150;
    CHECK(c[0].leaseHolds(kStart + lease - 1));
    CHECK_FALSE(c[0].leaseHolds(kStart + lease));
}

TEST_CASE("lease_onlyFromAMajority: §6.4.1 a heartbeat nobody answered gives no lease") {
    Cluster c = settled(withLeases());
    c.network.clear();
    c.step(0, Timeout{Timer::Heartbeat, kStart});
    c.network.clear();  // lost
    CHECK_FALSE(c[0].leaseHolds(kStart + 1));
    CHECK(readAt(c, kStart + 1).empty());
}

TEST_CASE("lease_endsWithTimeoutNow: §6.4.1 and §3.10 a leader that sent TimeoutNow serves no "
          "read on its lease: the target campaigns past every vote guard") {
    Cluster c = settled(withLeases());
    renewLease(c, kStart);
    c.network.clear();
    const Actions t = c.step(0, TransferLeadership{.target = 1});
    REQUIRE(only<TransferReply>(t).at(0).accepted);
    bool timeoutNow = false;
    for (const Message& m : sent(t)) timeoutNow = timeoutNow || m.kind == MsgKind::TimeoutNow;
    REQUIRE(timeoutNow);
    CHECK_FALSE(c[0].leaseHolds(kStart + 1));
}

TEST_CASE("lease_bugReadDuringTransfer: bug lease-read-during-transfer keeps serving on the "
          "lease after TimeoutNow") {
    Cluster c = settled(withLeases(bugs(Bug::LeaseReadDuringTransfer)));
    renewLease(c, kStart);
    c.step(0, TransferLeadership{.target = 1});
    CHECK(c[0].leaseHolds(kStart + 1));
}

TEST_CASE("lease_bugNeverExpires: bug lease-never-expires serves on the lease at any time") {
    Cluster c = settled(withLeases(bugs(Bug::LeaseNeverExpires)));
    renewLease(c, kStart);
    CHECK(c[0].leaseHolds(kStart + 100 * c[0].config().electionTimeoutMaxUs));
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("§4.2.3 disruptive servers");

TEST_CASE("voteGuard_followerDisregardsVotesWhileItHearsALeader: §4.2.3 a RequestVote of a "
          "higher term gets no answer and changes no term, unless a transfer sent it") {
    Config base;
    base.disregardVotesWithLeader = true;
    Cluster c = settled(base);
    REQUIRE(c[1].disregardsVotes());
    const Term term = c[1].currentTerm();
    const Actions a = c[1].step(Receive{requestVote(2, 1, term + 1, c[1])});
    CHECK(sent(a).empty());
    CHECK(c[1].currentTerm() == term);
    CHECK(c[1].votedFor() == 0);
    const Actions t = c[1].step(Receive{requestVote(2, 1, term + 1, c[1], /*transfer=*/true)});
    CHECK(c[1].currentTerm() == term + 1);
    REQUIRE(sent(t).size() == 1);
    CHECK(sent(t)[0].success);
}

TEST_CASE("voteGuard_endsWhenTheElectionTimerFires: §4.2.3 only within an election timeout of "
          "hearing from the leader") {
    Config base;
    base.disregardVotesWithLeader = true;
    base.preVote = true;  // the timer makes it a pre-candidate: its term stays
    Cluster c = settled(base);
    c.step(1, Timeout{Timer::Election});
    CHECK_FALSE(c[1].disregardsVotes());
    const Term term = c[1].currentTerm();
    const Actions a = c[1].step(Receive{requestVote(2, 1, term + 1, c[1])});
    CHECK(c[1].currentTerm() == term + 1);
    REQUIRE(sent(a).size() == 1);
    CHECK(sent(a)[0].success);
}

TEST_CASE("voteGuard_offByDefault: figure 2 a follower adopts the higher term of a RequestVote") {
    Cluster c = settled();
    CHECK_FALSE(c[1].disregardsVotes());
    const Term term = c[1].currentTerm();
    c[1].step(Receive{requestVote(2, 1, term + 1, c[1])});
    CHECK(c[1].currentTerm() == term + 1);
}

TEST_CASE("voteGuard_restartedNodeWithLeases: §6.4.1 a node that restarts cannot know whether "
          "it answered a leader just before, so it disregards votes until its first election "
          "timeout; a node that never ran has no leader to honour") {
    const DurableState durable{.currentTerm = 3, .votedFor = 0};
    Node restarted(withLeases(), durable);
    restarted.step(Start{});
    CHECK(restarted.disregardsVotes());
    const Actions a = restarted.step(Receive{requestVote(2, 0, 4, restarted)});
    CHECK(sent(a).empty());
    CHECK(restarted.currentTerm() == 3);
    restarted.step(Timeout{Timer::Election});
    CHECK_FALSE(restarted.disregardsVotes());
    Node fresh(withLeases());
    CHECK_FALSE(fresh.disregardsVotes());
}

TEST_SUITE_END();
