// Features beyond figure 2: CheckQuorum (thesis §6.2), batched proposals, and the
// leader telling a follower of a commit it missed while catching up.
#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

namespace {

Config withCheckQuorum(NodeId id, int size) {
    Config c = cfg(id, size);
    c.checkQuorum = true;
    return c;
}

bool armsElectionTimer(const Actions& actions) {
    for (const Action& a : actions) {
        if (const auto* arm = std::get_if<ArmTimer>(&a); arm && arm->timer == Timer::Election) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("checkQuorum_leaderKeepsItsElectionTimer (§6.2)") {
    Node withCq = makeCandidate(withCheckQuorum(0, 3));
    const Actions won = withCq.step(Receive{voteResponse(1, 0, 1, true)});
    REQUIRE(withCq.role() == Role::Leader);
    CHECK(armsElectionTimer(won));

    Node without = makeCandidate(cfg(0, 3));
    const Actions plain = without.step(Receive{voteResponse(1, 0, 1, true)});
    CHECK_FALSE(armsElectionTimer(plain));
    CHECK(positionOf<CancelTimer>(plain) >= 0);
}

TEST_CASE("checkQuorum_leaderWithoutMajorityStepsDown (§6.2)") {
    Node n = makeLeader(withCheckQuorum(0, 5));
    const Term term = n.currentTerm();
    n.step(Receive{appendResponse(1, 0, term, true, 1)});  // one follower: 2 of 5 with self
    const Actions out = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Follower);
    CHECK(n.currentTerm() == term);  // stepping down does not start a new term
    CHECK(n.leaderId() == kNoNode);
    CHECK(armsElectionTimer(out));
    CHECK(sent(out).empty());
}

TEST_CASE("checkQuorum_leaderHearingFromMajorityStays (§6.2)") {
    Node n = makeLeader(withCheckQuorum(0, 5));
    const Term term = n.currentTerm();
    n.step(Receive{appendResponse(1, 0, term, true, 1)});
    n.step(Receive{appendResponse(2, 0, term, false, 0)});  // a rejection is still contact
    const Actions out = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Leader);
    CHECK(armsElectionTimer(out));
    // The next period starts from nothing: silence now deposes it.
    n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Follower);
}

TEST_CASE("checkQuorum_offByDefault: a leader ignores its election timer") {
    Node n = makeLeader(cfg(0, 5));
    const Actions out = n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Leader);
    CHECK(out.empty());
}

TEST_CASE("onProposeBatch_oneWriteOneMessagePerFollower") {
    Node n = makeLeader(cfg(0, 3));
    n.step(Receive{appendResponse(1, 0, n.currentTerm(), true, 1)});  // follower 1 replicating
    ProposeBatch batch;
    for (std::uint32_t k = 1; k <= 5; ++k) {
        batch.entries.push_back(Entry{.clientId = 9, .seq = k, .data = 100 + k});
    }
    const Actions out = n.step(batch);
    const auto writes = only<PersistEntries>(out);
    REQUIRE(writes.size() == 1);
    CHECK(writes[0].firstIndex == 2);
    CHECK(writes[0].entries.size() == 5);
    for (const Entry& e : writes[0].entries) {
        CHECK(e.term == n.currentTerm());
        CHECK(e.kind == EntryKind::Command);
    }
    const auto toFollower1 = sent(out);
    int appends = 0;
    for (const Message& m : toFollower1) {
        if (m.to == 1 && m.kind == MsgKind::AppendEntries) {
            ++appends;
            CHECK(m.entries.size() == 5);
        }
    }
    CHECK(appends == 1);
    const auto replies = only<ProposeReply>(out);
    REQUIRE(replies.size() == 5);
    for (std::size_t k = 0; k < replies.size(); ++k) {
        CHECK(replies[k].accepted);
        CHECK(replies[k].index == 2 + k);
        CHECK(replies[k].seq == k + 1);
    }
    CHECK(positionOf<PersistEntries>(out) < positionOf<ProposeReply>(out));
}

TEST_CASE("onProposeBatch_followerRefusesEachWithLeaderHint") {
    Node f(cfg(1, 3));
    f.step(Receive{appendEntries(0, 1, 1, 0, 0, {}, 0)});
    const Actions out = f.step(ProposeBatch{{Entry{.seq = 1}, Entry{.seq = 2}}});
    const auto replies = only<ProposeReply>(out);
    REQUIRE(replies.size() == 2);
    for (const ProposeReply& r : replies) {
        CHECK_FALSE(r.accepted);
        CHECK(r.leaderHint == 0);
    }
    CHECK(f.log().lastIndex() == 0);
}

TEST_CASE("handleAppendEntriesResponse_tellsLateFollowerOfCommit") {
    Node n = makeLeader(cfg(0, 3));
    const Term term = n.currentTerm();
    // Follower 1 acks the no-op: a majority, so index 1 commits.
    n.step(Receive{appendResponse(1, 0, term, true, 1)});
    REQUIRE(n.commitIndex() == 1);
    // Follower 2's probe (sent before the commit) is answered only now. It was never
    // told of commitIndex 1, so the leader sends it an AppendEntries that says so.
    const Actions out = n.step(Receive{appendResponse(2, 0, term, true, 1)});
    bool told = false;
    for (const Message& m : sent(out)) {
        if (m.to == 2 && m.kind == MsgKind::AppendEntries) told = m.leaderCommit == 1;
    }
    CHECK(told);
    // Once told, another ack does not trigger another message.
    const Actions again = n.step(Receive{appendResponse(2, 0, term, true, 1)});
    CHECK(sent(again).empty());
}
