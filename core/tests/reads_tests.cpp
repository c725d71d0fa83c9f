// Reads without the log (thesis §6.4): the leader serves a read at its commitIndex once an
// entry of its term is committed and a majority has answered a round of heartbeats sent
// after the read arrived; a follower asks its leader for the read index and serves the
// read once it has applied that far. Three bug switches undo one step each.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

namespace {

Config withFollowerReads(BugSet bugs = {}) {
    Config c;
    c.followerReads = true;
    c.bugs = bugs;
    return c;
}

std::vector<ReadReply> readReplies(const Actions& a) { return only<ReadReply>(a); }

std::vector<Message> ofKind(const Actions& a, MsgKind kind) {
    std::vector<Message> out;
    for (const Message& m : sent(a)) {
        if (m.kind == kind) out.push_back(m);
    }
    return out;
}

}  // namespace

TEST_SUITE_BEGIN("§6.4 reads without the log");

TEST_CASE("readIndex_waitsForAMajorityRound: §6.4 the leader answers a read only after a "
          "majority answers the heartbeats it sent after the read arrived") {
    Cluster c = settled();
    const Actions a = c.step(0, Read{.clientId = 7, .seq = 1});
    CHECK(readReplies(a).empty());
    const auto heartbeats = ofKind(a, MsgKind::AppendEntries);
    REQUIRE(heartbeats.size() == 2);
    for (const Message& m : heartbeats) CHECK(m.readRound == 1);
    REQUIRE(c[0].pendingReads().size() == 1);
    CHECK(c[0].pendingReads()[0].index == c[0].commitIndex());
    // Node 1's answer makes a majority with the leader's own.
    c.network.clear();
    const Actions b = c.deliver(heartbeats[0]);
    REQUIRE(ofKind(b, MsgKind::AppendEntriesResponse).size() == 1);
    CHECK(ofKind(b, MsgKind::AppendEntriesResponse)[0].readRound == 1);
    const Actions answered = c.deliver(ofKind(b, MsgKind::AppendEntriesResponse)[0]);
    const auto replies = readReplies(answered);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
    CHECK(replies[0].index == c[0].commitIndex());
    CHECK(replies[0].clientId == 7);
    CHECK(replies[0].seq == 1);
    CHECK(c[0].pendingReads().empty());
}

TEST_CASE("readIndex_answerToAnEarlierRoundDoesNotConfirm: §6.4 an AppendEntries answered "
          "before the read arrived proves nothing about leadership after it") {
    Cluster c = settled();
    c.step(0, Timeout{Timer::Heartbeat});  // a round-0 heartbeat, answered late
    const std::deque<Message> early = c.network;
    c.network.clear();
    c.step(0, Read{.clientId = 1, .seq = 1});
    c.network.clear();
    for (const Message& m : early) {
        const Actions b = c.deliver(m);
        for (const Message& r : ofKind(b, MsgKind::AppendEntriesResponse)) {
            CHECK(r.readRound == 0);
            CHECK(readReplies(c.deliver(r)).empty());
        }
    }
    CHECK(c[0].pendingReads().size() == 1);
}

TEST_CASE("readIndex_newLeaderWaitsForAnEntryOfItsTerm: §6.4 step 1 a leader whose "
          "commitIndex is of an earlier term holds reads until its no-op commits") {
    Cluster c = settled();
    c.step(1, Timeout{Timer::Election});  // node 1 wins term 2; its no-op is not yet committed
    c.pump([](const Message& m) { return m.kind == MsgKind::AppendEntries; });
    REQUIRE(c[1].role() == Role::Leader);
    REQUIRE(c[1].log().termAt(c[1].commitIndex()) != c[1].currentTerm());
    const Actions a = c.step(1, Read{.clientId = 1, .seq = 1});
    CHECK(readReplies(a).empty());
    CHECK(ofKind(a, MsgKind::AppendEntries).empty());  // no round before the term commits
    REQUIRE(c[1].pendingReads().size() == 1);
    CHECK(c[1].pendingReads()[0].round == 0);
    c.step(1, Timeout{Timer::Heartbeat});
    std::vector<ReadReply> replies;
    while (!c.network.empty()) {
        const Message m = c.network.front();
        c.network.pop_front();
        for (const ReadReply& r : readReplies(c.deliver(m))) replies.push_back(r);
    }
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
    CHECK(c[1].log().termAt(replies[0].index) == 2);
}

TEST_CASE("readIndex_bugBeforeTermCommitTakesAnEarlierCommitIndex: bug "
          "read-index-before-term-commit starts the round at once, at a stale commitIndex") {
    Config base;
    base.bugs = bugs(Bug::ReadIndexBeforeTermCommit);
    Cluster c = settled(base);
    c.step(1, Timeout{Timer::Election});
    c.pump([](const Message& m) { return m.kind == MsgKind::AppendEntries; });
    REQUIRE(c[1].role() == Role::Leader);
    const Actions a = c.step(1, Read{.clientId = 1, .seq = 1});
    CHECK(ofKind(a, MsgKind::AppendEntries).size() == 2);
    REQUIRE(c[1].pendingReads().size() == 1);
    CHECK(c[1].pendingReads()[0].index < c[1].log().lastIndex());
    CHECK(c[1].log().termAt(c[1].pendingReads()[0].index) == 1);
}

TEST_CASE("read_bugWithoutQuorumAnswersAtOnce: bug read-without-quorum answers from the "
          "leader's state with no round of heartbeats") {
    Config base;
    base.bugs = bugs(Bug::ReadWithoutQuorum);
    Cluster c = settled(base);
    const Actions a = c.step(0, Read{.clientId = 1, .seq = 1});
    REQUIRE(readReplies(a).size() == 1);
    CHECK(readReplies(a)[0].accepted);
    CHECK(sent(a).empty());
}

TEST_CASE("read_singleNodeIsItsOwnMajority: §6.4 a one-node leader answers at once") {
    Node n = makeLeader(cfg(0, 1));
    stepDurably(n, Propose{Entry{.clientId = 1, .seq = 1}});
    const Actions a = n.step(Read{.clientId = 2, .seq = 1});
    REQUIRE(readReplies(a).size() == 1);
    CHECK(readReplies(a)[0].accepted);
    CHECK(readReplies(a)[0].index == n.commitIndex());
}

TEST_CASE("read_followerWithoutFollowerReadsRefusesWithHint: a follower refuses a read and "
          "names its leader when reads on followers are off") {
    Cluster c = settled();
    const Actions a = c.step(2, Read{.clientId = 1, .seq = 1});
    REQUIRE(readReplies(a).size() == 1);
    CHECK_FALSE(readReplies(a)[0].accepted);
    CHECK(readReplies(a)[0].leaderHint == 0);
}

TEST_CASE("read_leaderRefusesWaitingReadsWhenDeposed: §6.4 a leader that learns of a higher "
          "term refuses the reads it could not confirm") {
    Cluster c = settled();
    c.step(0, Read{.clientId = 1, .seq = 1});
    c.network.clear();
    const Actions a = c.step(0, Receive{appendEntries(1, 0, 5, 0, 0, {}, 0)});
    REQUIRE(readReplies(a).size() == 1);
    CHECK_FALSE(readReplies(a)[0].accepted);
    CHECK(c[0].pendingReads().empty());
}

TEST_CASE("followerRead_waitsToApplyTheLeadersReadIndex: §6.4 a follower asks the leader for "
          "the read index and serves the read once it has applied up to it") {
    Cluster c = settled(withFollowerReads());
    c.step(0, Propose{Entry{.kind = EntryKind::Command, .clientId = 9, .seq = 1}});
    // Follower 2 misses the entry and the commit; follower 1 has both.
    c.pump([](const Message& m) { return m.to == 2; });
    REQUIRE(c[2].lastApplied() < c[0].commitIndex());
    const Actions a = c.step(2, Read{.clientId = 1, .seq = 1});
    const auto asks = ofKind(a, MsgKind::ReadIndex);
    REQUIRE(asks.size() == 1);
    CHECK(asks[0].to == 0);
    // The leader confirms with node 1 and answers node 2 with its commitIndex.
    c.pump([](const Message& m) { return m.to == 2 && m.kind == MsgKind::AppendEntries; });
    std::vector<Message> answers;
    for (const Message& m : c.delivered) {
        if (m.kind == MsgKind::ReadIndexResponse) answers.push_back(m);
    }
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].success);
    CHECK(answers[0].matchIndex == c[0].commitIndex());
    // Delivered before node 2 caught up: the read waits.
    REQUIRE(c[2].pendingReads().size() == 1);
    CHECK(c[2].pendingReads()[0].confirmed);
    c.step(0, Timeout{Timer::Heartbeat});
    std::vector<ReadReply> replies;
    while (!c.network.empty()) {
        const Message m = c.network.front();
        c.network.pop_front();
        const Actions b = c.deliver(m);
        if (m.to == 2) {
            for (const ReadReply& r : readReplies(b)) {
                CHECK(c[2].lastApplied() >= r.index);
                replies.push_back(r);
            }
        }
    }
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
    CHECK(replies[0].index == c[0].commitIndex());
}

TEST_CASE("followerRead_bugBeforeApplyAnswersBehind: bug follower-read-before-apply serves "
          "the read before the follower has applied up to the read index") {
    Cluster c = settled(withFollowerReads(bugs(Bug::FollowerReadBeforeApply)));
    c.step(0, Propose{Entry{.kind = EntryKind::Command, .clientId = 9, .seq = 1}});
    c.pump([](const Message& m) { return m.to == 2; });
    c.step(2, Read{.clientId = 1, .seq = 1});
    std::vector<ReadReply> replies;
    while (!c.network.empty()) {
        const Message m = c.network.front();
        c.network.pop_front();
        if (m.to == 2 && m.kind == MsgKind::AppendEntries) continue;  // 2 stays behind
        for (const ReadReply& r : readReplies(c.deliver(m))) replies.push_back(r);
    }
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].accepted);
    CHECK(c[2].lastApplied() < replies[0].index);
}

TEST_CASE("followerRead_refusedWhenTheFollowerLosesItsLeader: §6.4 a follower whose "
          "election timer fires refuses the reads it was waiting on") {
    Cluster c = settled(withFollowerReads());
    c.step(2, Read{.clientId = 1, .seq = 1});
    c.network.clear();
    const Actions a = c.step(2, Timeout{Timer::Election});
    REQUIRE(readReplies(a).size() == 1);
    CHECK_FALSE(readReplies(a)[0].accepted);
}

TEST_SUITE_END();
