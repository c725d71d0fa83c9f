// Membership changes, one server at a time (thesis §4.1-§4.3).
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

namespace raft::test {
namespace {

NodeSet ids(std::initializer_list<NodeId> list) {
    NodeSet set = 0;
    for (NodeId id : list) set |= nodeBit(id);
    return set;
}

Actions change(Cluster& c, NodeId at, ChangeKind kind, NodeId node) {
    return c.step(at, ChangeMembership{kind, node});
}

// The one ChangeReply among `actions`.
ChangeReply replyOf(const Actions& actions) {
    const std::vector<ChangeReply> replies = only<ChangeReply>(actions);
    REQUIRE_MESSAGE(replies.size() == 1, trace(actions));
    return replies[0];
}

// Delivers until the network is quiet, as Cluster::pump, and returns every action.
Actions pumpAll(Cluster& c, const std::function<bool(const Message&)>& drop = nullptr) {
    Actions all;
    for (int n = 0; !c.network.empty(); ++n) {
        REQUIRE(n < 100'000);
        const Message m = c.network.front();
        c.network.pop_front();
        if (drop && drop(m)) continue;
        const Actions a = c.deliver(m);
        all.insert(all.end(), a.begin(), a.end());
    }
    return all;
}

// A heartbeat of `leader`, then delivery until quiet.
Actions heartbeat(Cluster& c, NodeId leader, const std::function<bool(const Message&)>& drop = nullptr) {
    Actions all = c.step(leader, Timeout{Timer::Heartbeat});
    const Actions more = pumpAll(c, drop);
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

NodeSet recipients(const Actions& actions, MsgKind kind) {
    NodeSet to = 0;
    for (const Message& m : sent(actions)) {
        if (m.kind == kind) to |= nodeBit(m.to);
    }
    return to;
}

bool touches3(const Message& m) { return m.to == 3 || m.from == 3; }

}  // namespace

TEST_CASE("§4.1: a configuration entry takes effect once appended and is undone by truncation") {
    Node n(cfg(1, 3));
    n.step(Start{});
    const Membership bootstrap{.voters = ids({0, 1, 2})};
    CHECK(n.membership() == bootstrap);
    const Membership grown{.voters = ids({0, 1, 2, 3})};
    const Membership demoted{.voters = ids({0, 1, 2}), .learners = ids({3})};
    Entry toGrown = configurationEntry(grown);
    toGrown.term = 1;
    Entry toDemoted = configurationEntry(demoted);
    toDemoted.term = 1;

    n.step(Receive{appendEntries(0, 1, 1, 0, 0, {entry(1), toGrown}, 0)});
    CHECK(n.commitIndex() == 0);  // in effect, not committed
    CHECK(n.membership() == grown);
    CHECK(n.membershipIndex() == 2);
    n.step(Receive{appendEntries(0, 1, 1, 2, 1, {toDemoted}, 0)});
    CHECK(n.membership() == demoted);
    CHECK(n.membershipIndex() == 3);

    // A leader of term 2 that never had index 3 overwrites it: the one before is back.
    n.step(Receive{appendEntries(2, 1, 2, 2, 1, {entry(2)}, 0)});
    CHECK(termsOf(n) == std::vector<Term>{1, 1, 2});
    CHECK(n.membership() == grown);
    CHECK(n.membershipIndex() == 2);
    // And one of term 3 overwrites index 2: no configuration entry is left.
    n.step(Receive{appendEntries(2, 1, 3, 1, 1, {entry(3)}, 0)});
    CHECK(termsOf(n) == std::vector<Term>{1, 3});
    CHECK(n.membership() == bootstrap);
    CHECK(n.membershipIndex() == 0);

    // A restarted node finds its configuration in its log.
    const Node restarted(cfg(1, 3), DurableState{.currentTerm = 1, .log = {entry(1), toGrown}});
    CHECK(restarted.membership() == grown);
    CHECK(restarted.membershipIndex() == 2);
}

TEST_CASE("§4.1, §4.2.1: a one-node cluster adds a server, which then counts toward commits") {
    Cluster c = growing(1, 2);
    // A joining server has no configuration: its timer fires, and it does not campaign.
    CHECK(c[1].membership() == Membership{});
    CHECK(sent(c.step(1, Timeout{Timer::Election})).empty());
    c.network.clear();
    c.elect(0);
    REQUIRE(c[0].commitIndex() == 1);

    const Actions asked = change(c, 0, ChangeKind::AddVoter, 1);
    CHECK(only<ChangeReply>(asked).empty());  // not before the server has caught up
    CHECK(c[0].catchUpNode() == 1);
    CHECK(recipients(asked, MsgKind::AppendEntries) == ids({1}));
    const ChangeReply reply = replyOf(pumpAll(c));
    CHECK(reply.accepted);
    CHECK(reply.index == 2);
    CHECK(reply.term == 1);
    CHECK(c[0].membership().voters == ids({0, 1}));
    CHECK(c[0].catchUpNode() == kNoNode);
    CHECK(c[0].commitIndex() == 2);
    CHECK(c[1].membership().voters == ids({0, 1}));
    CHECK(c[1].membershipIndex() == 2);
    CHECK(c[1].commitIndex() == 2);

    // Two voters: the leader alone no longer commits.
    c.step(0, Propose{command(0, 7)});
    pumpAll(c, [](const Message& m) { return m.to == 1; });
    CHECK(c[0].commitIndex() == 2);
    heartbeat(c, 0);
    CHECK(c[0].commitIndex() == 3);
    CHECK(c.applied[1].size() == 3);
}

TEST_CASE("§4.2.1: a new server becomes a voter only once it has caught up") {
    Cluster c = growing(3, 4);
    c.elect(0);
    for (std::uint64_t k = 1; k <= 5; ++k) c.step(0, Propose{command(0, k)});
    c.pump();
    REQUIRE(c[0].commitIndex() == 6);

    CHECK(only<ChangeReply>(change(c, 0, ChangeKind::AddVoter, 3)).empty());
    // While it cannot be reached it stays out of the configuration.
    CHECK(only<ChangeReply>(pumpAll(c, touches3)).empty());
    CHECK(only<ChangeReply>(heartbeat(c, 0, touches3)).empty());
    CHECK(c[0].membership().voters == ids({0, 1, 2}));
    CHECK(c[0].catchUpNode() == 3);
    // It gets the log as a learner would; once it holds it all, the configuration follows.
    const ChangeReply reply = replyOf(heartbeat(c, 0));
    CHECK(reply.accepted);
    CHECK(reply.kind == ChangeKind::AddVoter);
    CHECK(reply.node == 3);
    CHECK(reply.index == 7);
    CHECK(c[0].membership().voters == ids({0, 1, 2, 3}));
    CHECK(c[3].membership().voters == ids({0, 1, 2, 3}));
    CHECK(c[0].commitIndex() == 7);
    CHECK(c[3].log().entries() == c[0].log().entries());
}

TEST_CASE("§4.2.1: a server that never answers is refused after the catch-up's time bound") {
    Cluster c = growing(3, 4);
    c.elect(0);
    change(c, 0, ChangeKind::AddVoter, 3);
    const int bound = 2 * kCatchUpRounds * transferTimeoutTicks(c[0].config());
    for (int t = 1; t < bound; ++t) CHECK(only<ChangeReply>(heartbeat(c, 0, touches3)).empty());
    CHECK(c[0].catchUpNode() == 3);
    const ChangeReply reply = replyOf(heartbeat(c, 0, touches3));
    CHECK_FALSE(reply.accepted);
    CHECK(reply.reason == ChangeRefusal::CatchUpFailed);
    CHECK(c[0].catchUpNode() == kNoNode);
    CHECK(c[0].membership().voters == ids({0, 1, 2}));
    CHECK(recipients(c.step(0, Timeout{Timer::Heartbeat}), MsgKind::AppendEntries) == ids({1, 2}));
}

TEST_CASE("§4.2.1: a server whose every round lasts an election timeout is refused after 10 rounds") {
    Cluster c = growing(3, 4);
    c.elect(0);
    change(c, 0, ChangeKind::AddVoter, 3);
    const int timeout = transferTimeoutTicks(c[0].config());
    for (int round = 1; round <= kCatchUpRounds; ++round) {
        CAPTURE(round);
        REQUIRE(c[0].catchUpRound() == round);
        for (int t = 0; t < timeout; ++t) heartbeat(c, 0, touches3);
        // The server receives the round's entries, but its acknowledgements are held
        // until the leader has appended more: the round ends late and behind.
        std::vector<Message> acks;
        c.step(0, Timeout{Timer::Heartbeat});
        pumpAll(c, [&](const Message& m) {
            const bool ack = m.from == 3 && m.kind == MsgKind::AppendEntriesResponse && m.success;
            if (ack) acks.push_back(m);
            return ack;
        });
        REQUIRE_FALSE(acks.empty());
        c.step(0, Propose{command(0, static_cast<std::uint64_t>(round))});
        pumpAll(c, touches3);
        Actions answered;
        for (const Message& m : acks) {
            const Actions a = c.deliver(m);
            answered.insert(answered.end(), a.begin(), a.end());
        }
        if (round < kCatchUpRounds) {
            CHECK(only<ChangeReply>(answered).empty());
        } else {
            CHECK(replyOf(answered).reason == ChangeRefusal::CatchUpFailed);
        }
    }
    CHECK(c[0].catchUpNode() == kNoNode);
    CHECK(c[0].membership().voters == ids({0, 1, 2}));
}

TEST_CASE("§4.2.1: a round that ends late with nothing appended meanwhile ends the catch-up") {
    Cluster c = growing(3, 4);
    c.elect(0);
    change(c, 0, ChangeKind::AddVoter, 3);
    const int timeout = transferTimeoutTicks(c[0].config());
    for (int t = 0; t < timeout; ++t) heartbeat(c, 0, touches3);
    // The first round took an election timeout; the second starts at the server's own
    // last index, so it is over as soon as it starts.
    const ChangeReply reply = replyOf(heartbeat(c, 0));
    CHECK(reply.accepted);
    CHECK(reply.index == 2);
    CHECK(c[0].membership().voters == ids({0, 1, 2, 3}));
}

TEST_CASE("§4.2.1: a learner neither votes nor counts toward a quorum, and does not campaign") {
    Cluster c = growing(3, 4);
    c.elect(0);
    const ChangeReply added = replyOf(change(c, 0, ChangeKind::AddLearner, 3));
    CHECK(added.accepted);  // no catch-up for a learner
    CHECK(added.index == 2);
    c.pump();
    CHECK(c[3].membership() == Membership{.voters = ids({0, 1, 2}), .learners = ids({3})});
    CHECK(c[3].commitIndex() == 2);

    // Its acknowledgement is no vote toward a commit.
    c.step(0, Propose{command(0, 1)});
    c.pump([](const Message& m) { return m.to == 1 || m.to == 2; });
    CHECK(c[3].log().lastIndex() == 3);
    CHECK(c[0].commitIndex() == 2);
    // Its timer fires: it does not campaign.
    const Term term = c[3].currentTerm();
    CHECK(sent(c.step(3, Timeout{Timer::Election})).empty());
    CHECK(c[3].role() == Role::Follower);
    CHECK(c[3].currentTerm() == term);
    // A candidate does not ask it, and its grant does not count.
    const Actions campaign = c.step(1, Timeout{Timer::Election});
    CHECK(recipients(campaign, MsgKind::RequestVote) == ids({0, 2}));
    c.deliver(voteResponse(3, 1, c[1].currentTerm(), true));
    CHECK(c[1].role() == Role::Candidate);
    // Nor is it a transfer target.
    CHECK(only<TransferReply>(c.step(0, TransferLeadership{3}))[0].reason ==
          TransferRefusal::UnknownTarget);
}

TEST_CASE("§4.1, §5.1: a snapshot keeps the configuration in effect at its index; a node "
          "restarted from it and a follower that installs it use that configuration") {
    Cluster c = growing(3, 5);
    c.elect(0);
    REQUIRE(replyOf(change(c, 0, ChangeKind::AddLearner, 3)).accepted);  // entry 2
    c.pump([](const Message& m) { return m.to == 4; });
    c.step(0, Propose{command(0, 1)});  // entry 3
    c.pump([](const Message& m) { return m.to == 4; });
    REQUIRE(c[1].lastApplied() == 3);
    const Membership withLearner{.voters = ids({0, 1, 2}), .learners = ids({3})};

    // Node 1 compacts past the configuration entry: the snapshot records it.
    c.compact(1, 3);
    CHECK(c[1].log().snapshotIndex() == 3);
    CHECK(c[1].snapshot().meta.voters == withLearner.voters);
    CHECK(c[1].snapshot().meta.learners == withLearner.learners);
    c.restart(1);
    CHECK(c[1].membership() == withLearner);

    // The leader compacts too, then adds server 4 as a learner; 4 joined with no
    // configuration and gets the snapshot, whose configuration it uses until the log's.
    c.compact(0, 3);
    REQUIRE(replyOf(change(c, 0, ChangeKind::AddLearner, 4)).accepted);  // entry 4
    Membership seen;
    for (int n = 0; n < 100 && !c.network.empty(); ++n) {
        const Message m = c.network.front();
        c.network.pop_front();
        c.deliver(m);
        if (m.kind == MsgKind::InstallSnapshot && m.to == 4) seen = c[4].membership();
    }
    CHECK(seen == withLearner);
    heartbeat(c, 0);
    CHECK(c[4].log().snapshotIndex() == 3);
    CHECK(c[4].membership() == Membership{.voters = ids({0, 1, 2}), .learners = ids({3, 4})});
    CHECK(c[4].membershipIndex() == 4);
}

TEST_CASE("§4.2.1: a learner that holds the whole log is promoted at once") {
    Cluster c = growing(3, 4);
    c.elect(0);
    change(c, 0, ChangeKind::AddLearner, 3);
    c.pump();
    const ChangeReply reply = replyOf(change(c, 0, ChangeKind::AddVoter, 3));
    CHECK(reply.accepted);
    CHECK(reply.index == 3);
    CHECK(c[0].membership() == Membership{.voters = ids({0, 1, 2, 3})});
    c.pump();
    CHECK(c[3].membership() == Membership{.voters = ids({0, 1, 2, 3})});
    // And demoted again.
    CHECK(replyOf(change(c, 0, ChangeKind::DemoteVoter, 3)).accepted);
    CHECK(c[0].membership() == Membership{.voters = ids({0, 1, 2}), .learners = ids({3})});
}

TEST_CASE("§4.1: one change at a time, and only changes that make sense") {
    Cluster c = growing(3, 5);
    c.elect(0);
    CHECK(replyOf(change(c, 0, ChangeKind::AddLearner, 3)).accepted);
    // The configuration entry is not committed yet.
    CHECK(replyOf(change(c, 0, ChangeKind::AddLearner, 4)).reason == ChangeRefusal::InProgress);
    c.pump();
    CHECK(c[0].commitIndex() == c[0].membershipIndex());

    // While a server is being caught up: no other change, and no leadership transfer.
    CHECK(only<ChangeReply>(change(c, 0, ChangeKind::AddVoter, 4)).empty());
    CHECK(replyOf(change(c, 0, ChangeKind::RemoveServer, 3)).reason == ChangeRefusal::InProgress);
    CHECK(only<TransferReply>(c.step(0, TransferLeadership{1}))[0].reason ==
          TransferRefusal::InProgress);
    CHECK(replyOf(pumpAll(c)).accepted);
    c.pump();

    // Changes that make no sense are refused.
    CHECK(replyOf(change(c, 0, ChangeKind::AddVoter, 1)).reason == ChangeRefusal::InvalidMember);
    CHECK(replyOf(change(c, 0, ChangeKind::AddLearner, 4)).reason == ChangeRefusal::InvalidMember);
    CHECK(replyOf(change(c, 0, ChangeKind::DemoteVoter, 3)).reason == ChangeRefusal::InvalidMember);
    CHECK(replyOf(change(c, 0, ChangeKind::RemoveServer, 7)).reason == ChangeRefusal::InvalidMember);
    CHECK(replyOf(change(c, 0, ChangeKind::AddVoter, kMaxNodes)).reason ==
          ChangeRefusal::InvalidMember);
    // Followers send the operator to the leader.
    const ChangeReply atFollower = replyOf(change(c, 1, ChangeKind::RemoveServer, 3));
    CHECK(atFollower.reason == ChangeRefusal::NotLeader);
    CHECK(atFollower.leaderHint == 0);
}

TEST_CASE("§4.1: no change before an entry of the leader's term is committed") {
    // raft-dev, "bug in single-server membership changes" (2015): a leader may not append
    // a configuration before it has committed an entry of its own term.
    Cluster c = growing(3, 4);
    c.step(0, Timeout{Timer::Election});
    c.pump([](const Message& m) { return m.kind == MsgKind::AppendEntries; });
    REQUIRE(c[0].role() == Role::Leader);
    REQUIRE(c[0].commitIndex() == 0);
    CHECK(replyOf(change(c, 0, ChangeKind::AddLearner, 3)).reason ==
          ChangeRefusal::TermNotCommitted);
    CHECK(c[0].log().lastIndex() == 1);
    heartbeat(c, 0);
    REQUIRE(c[0].commitIndex() == 1);
    CHECK(replyOf(change(c, 0, ChangeKind::AddLearner, 3)).accepted);
}

TEST_CASE("§4.2.1: a leader that loses its leadership during a catch-up refuses the change") {
    Cluster c = growing(3, 4);
    c.elect(0);
    change(c, 0, ChangeKind::AddVoter, 3);
    const Actions a = c.step(0, Receive{appendEntries(1, 0, 2, 1, 1, {}, 1)});
    const ChangeReply reply = replyOf(a);
    CHECK(reply.reason == ChangeRefusal::NotLeader);
    CHECK(reply.leaderHint == 1);
    CHECK(c[0].catchUpNode() == kNoNode);
}

TEST_CASE("§4.2.2: a leader removes itself, leads until the removal commits, then steps down") {
    Cluster c = settled();
    const ChangeReply reply = replyOf(change(c, 0, ChangeKind::RemoveServer, 0));
    CHECK(reply.accepted);
    CHECK(reply.index == 2);
    CHECK(c[0].role() == Role::Leader);
    CHECK_FALSE(c[0].membership().isVoter(0));
    // It replicates without counting itself: node 1 alone is no majority of {1, 2}.
    c.pump([](const Message& m) { return m.to == 2; });
    CHECK(c[1].log().lastIndex() == 2);
    CHECK(c[0].commitIndex() == 1);
    CHECK(c[0].role() == Role::Leader);
    // Once it is committed, the leader steps down, having told the others of the commit.
    heartbeat(c, 0);
    CHECK(c[0].commitIndex() == 2);
    CHECK(c[0].role() == Role::Follower);
    CHECK(c[1].commitIndex() == 2);
    CHECK(c[2].commitIndex() == 2);
    // It no longer campaigns; the two others elect a leader between them.
    CHECK(sent(c.step(0, Timeout{Timer::Election})).empty());
    const Actions campaign = c.step(1, Timeout{Timer::Election});
    CHECK(recipients(campaign, MsgKind::RequestVote) == ids({2}));
    c.pump();
    CHECK(c[1].role() == Role::Leader);
    CHECK(c[1].currentTerm() == 2);
}

TEST_CASE("§4.2.3: a removed server that does not know it cannot disrupt the cluster") {
    // Node 4 is removed; node 3 never receives the configuration entry (it still counts
    // 4 a voter), and is kept from adopting 4's terms by the vote guard alone.
    for (const bool guard : {true, false}) {
        CAPTURE(guard);
        Config base;
        base.disregardVotesWithLeader = guard;
        Cluster c(5, base);
        c.elect(0);
        c.pump();
        CHECK(replyOf(change(c, 0, ChangeKind::RemoveServer, 4)).accepted);
        c.pump([](const Message& m) { return m.to == 3 || m.to == 4; });
        REQUIRE(c[0].commitIndex() == 2);
        // Node 3 heard the leader since its timer fired, node 4 did not hear of its removal.
        c.step(0, Timeout{Timer::Heartbeat});
        c.pump([](const Message& m) {
            return m.to == 4 || (m.to == 3 && m.kind == MsgKind::AppendEntries && !m.entries.empty());
        });
        REQUIRE(c[3].membership().isVoter(4));
        REQUIRE(c[3].leaderId() == 0);
        for (int k = 0; k < 3; ++k) {
            const Actions campaign = c.step(4, Timeout{Timer::Election});
            CHECK(recipients(campaign, MsgKind::RequestVote) == ids({0, 1, 2, 3}));
            c.pump();
        }
        CHECK(c[0].role() == Role::Leader);
        CHECK(c[0].currentTerm() == 1);
        CHECK(c[1].currentTerm() == 1);
        CHECK(c[2].currentTerm() == 1);
        CHECK(c[3].currentTerm() == (guard ? 1 : 4));
    }
}

}  // namespace raft::test

namespace raft::test {

TEST_CASE("§4.2.3: a RequestVote from outside our configuration is heard when its log is newer than ours") {
    // Node 1 lags on the bootstrap configuration {0,1,2}: node 3 may be a voter of a later
    // one whose entry node 1 never received, and a majority of it may need node 1's vote.
    // Disregarding it would let a lagging voter stall every election for good; a removed
    // server never holds a newer log than a node that has its removal.
    Node n(cfg(1, 3));
    n.step(Start{});
    n.step(Receive{appendEntries(0, 1, 1, 0, 0, {entry(1)}, 0)});
    REQUIRE(!n.membership().isVoter(3));

    const Actions same = n.step(Receive{requestVote(3, 1, 4, 1, 1)});  // a log like ours
    CHECK(n.currentTerm() == 1);
    CHECK(sent(same).empty());

    const Actions newer = n.step(Receive{requestVote(3, 1, 4, 2, 1)});  // one entry more
    CHECK(n.currentTerm() == 4);
    CHECK(n.votedFor() == 3);
    REQUIRE(sent(newer).size() == 1);
    CHECK(sent(newer)[0].kind == MsgKind::RequestVoteResponse);
    CHECK(sent(newer)[0].success);
}

}  // namespace raft::test

namespace raft::test {

TEST_CASE("§4.2.3: a candidate refusing a newer-logged candidate outside its configuration restarts its timer") {
    // Node 1 lags on {0,1,2} and campaigns; node 3, a voter of a later configuration,
    // campaigns in the same term. Node 1 sends node 3 nothing, so node 3 learns node 1's
    // term only from this refusal: node 1 restarts its election timer so that node 3,
    // whose next term node 1 would then hear and vote in, may time out first.
    Node n(cfg(1, 3));
    n.step(Start{});
    n.step(Receive{appendEntries(0, 1, 1, 0, 0, {entry(1)}, 0)});
    n.step(Timeout{Timer::Election});
    REQUIRE(n.role() == Role::Candidate);
    REQUIRE(n.currentTerm() == 2);

    const auto refusal = [&](NodeId from, Index lastLogIndex) {
        const Actions a = n.step(Receive{requestVote(from, 1, 2, lastLogIndex, 1)});
        REQUIRE(sent(a).size() == 1);
        CHECK(!sent(a)[0].success);
        return trace(a).find("ArmTimer(Election)") != std::string::npos;
    };
    CHECK(refusal(3, 2));   // outside our configuration, one entry more: restart
    CHECK(!refusal(3, 1));  // outside, a log like ours: nothing (it cannot be newer-config)
    CHECK(!refusal(2, 2));  // a voter we ask ourselves: plain Raft (§5.2), nothing
    CHECK(n.role() == Role::Candidate);
    CHECK(n.votedFor() == 1);
}

}  // namespace raft::test
