// §5.3 log replication: the consistency check, conflict hints for fast backtracking,
// truncation rules, figure 7's followers, heartbeats.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("§5.3 replication");

TEST_CASE("handleAppendEntries_rejectsGap: §5.3 a follower rejects AppendEntries whose "
          "prevLogIndex is past its log, hinting its next index") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 2, .log = terms({1, 1})});
    n.step(Start{});
    const Actions a = n.step(Receive{appendEntries(1, 0, 2, 5, 2, terms({2}), 0)});
    CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=1,term=2,reject=5)");
    const Message r = sent(a).at(0);
    CHECK_FALSE(r.success);
    CHECK(r.rejectedIndex == 5);
    CHECK(r.conflictIndex == 3);  // retry right after our last entry
    CHECK(r.conflictTerm == 0);   // we hold nothing at index 5
    CHECK(termsOf(n) == std::vector<Term>{1, 1});
    CHECK(n.leaderId() == 1);  // still the legitimate leader of term 2
}

TEST_CASE("handleAppendEntries_rejectsTermMismatch: §5.3 a follower rejects AppendEntries whose "
          "prevLogTerm differs, hinting the start of its conflicting term") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 3, .log = terms({1, 2, 2, 2})});
    n.step(Start{});
    SUBCASE("mismatch inside a run of term 2") {
        const Actions a = n.step(Receive{appendEntries(1, 0, 3, 3, 3, terms({3}), 0)});
        CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=1,term=3,reject=3)");
        const Message r = sent(a).at(0);
        CHECK(r.conflictTerm == 2);
        CHECK(r.conflictIndex == 2);  // the first index of term 2: skip the whole term
    }
    SUBCASE("mismatch at the first entry") {
        const Message r = sent(n.step(Receive{appendEntries(1, 0, 3, 1, 3, {}, 0)})).at(0);
        CHECK_FALSE(r.success);
        CHECK(r.conflictTerm == 1);
        CHECK(r.conflictIndex == 1);
    }
    CHECK(termsOf(n) == std::vector<Term>{1, 2, 2, 2});  // nothing truncated on a reject
    CHECK(n.commitIndex() == 0);
}

TEST_CASE("handleAppendEntriesResponse_backtracksWithConflictHint: §5.3 the leader skips a "
          "follower's conflicting term in one step") {
    // Figure 7's leader log, leader of term 8 (a no-op at 11 makes it 11 entries).
    const DurableState leaderLog{.currentTerm = 7, .log = terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6})};
    Node n = makeLeader(cfg(0, 3), leaderLog);
    REQUIRE(n.currentTerm() == 8);
    REQUIRE(n.progress(1).nextIndex == 11);
    Message probe;
    SUBCASE("follower too short: retry after its last entry") {
        const Actions a = n.step(Receive{appendResponse(1, 0, 8, false, 0, 10, 5, 0)});
        CHECK(n.progress(1).nextIndex == 5);
        probe = sent(a).at(0);
        CHECK(probe.prevLogIndex == 4);
        CHECK(probe.prevLogTerm == 4);
        CHECK(probe.entries.size() == 7);
    }
    SUBCASE("conflict term the leader holds: retry after the leader's last entry of it") {
        const Actions a = n.step(Receive{appendResponse(1, 0, 8, false, 0, 10, 4, 4)});
        CHECK(n.progress(1).nextIndex == 6);
        probe = sent(a).at(0);
        CHECK(probe.prevLogIndex == 5);
        CHECK(probe.prevLogTerm == 4);
    }
    SUBCASE("conflict term the leader lacks: retry at the follower's first index of it") {
        const Actions a = n.step(Receive{appendResponse(1, 0, 8, false, 0, 10, 7, 3)});
        CHECK(n.progress(1).nextIndex == 7);
        probe = sent(a).at(0);
        CHECK(probe.prevLogIndex == 6);
        CHECK(probe.prevLogTerm == 5);
    }
    CHECK(probe.kind == MsgKind::AppendEntries);
    CHECK(probe.to == 1);
    CHECK_FALSE(n.progress(1).replicating);
    // A duplicate of the same rejection is stale now (it answers an older probe).
    const Progress before = n.progress(1);
    CHECK(n.step(Receive{appendResponse(1, 0, 8, false, 0, 10, 5, 0)}).empty());
    CHECK(n.progress(1) == before);
}

TEST_CASE("handleAppendEntries_keepsEntriesOnDuplicate: §5.3 a stale or duplicate AppendEntries "
          "truncates nothing, not even entries after its own") {
    const std::vector<Entry> log{command(1, 10), command(1, 11), command(1, 12)};
    SUBCASE("duplicate of the first entry") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1, .log = log});
        n.step(Start{});
        const Actions a = n.step(Receive{appendEntries(1, 0, 1, 0, 0, {command(1, 10)}, 0)});
        CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=1,term=1,ok,match=1)");
        CHECK(n.log().entries() == log);
    }
    SUBCASE("duplicate of a middle range") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1, .log = log});
        n.step(Start{});
        const Actions a =
            n.step(Receive{appendEntries(1, 0, 1, 1, 1, {command(1, 11)}, 0)});
        CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=1,term=1,ok,match=2)");
        CHECK(n.log().entries() == log);
    }
    SUBCASE("matching prefix from a newer leader, older entries after it") {
        // Entries 2 and 3 are of term 1 and may well be in the new leader's log too:
        // only a conflicting entry may remove them.
        Node n(cfg(0, 3), DurableState{.currentTerm = 2, .log = log});
        n.step(Start{});
        const Actions a = n.step(Receive{appendEntries(1, 0, 2, 0, 0, {command(1, 10)}, 0)});
        CHECK(positionOf<PersistEntries>(a) == -1);
        CHECK(n.log().entries() == log);
        CHECK(sent(a).at(0).matchIndex == 1);  // only what this message verified
    }
}

TEST_CASE("handleAppendEntries_keepsEntriesOnDuplicate_bugTruncateOnStaleAppend: §5.3 with "
          "Bug::TruncateOnStaleAppend the duplicate drops the entries after it") {
    const std::vector<Entry> log{command(1, 10), command(1, 11), command(1, 12)};
    Node n(cfg(0, 3, bugs(Bug::TruncateOnStaleAppend)), DurableState{.currentTerm = 1, .log = log});
    n.step(Start{});
    n.step(Receive{appendEntries(1, 0, 1, 0, 0, {command(1, 10)}, 0)});
    CHECK(n.log().lastIndex() == 1);  // what the test above forbids
}

TEST_CASE("handleAppendEntries_staleBelowCommitIndex: §5.3/§5.4.3 an AppendEntries older than "
          "the follower's commitIndex is acknowledged up to commitIndex and changes nothing") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 1});
    n.step(Start{});
    n.step(Receive{appendEntries(1, 0, 1, 0, 0, {command(1, 10), command(1, 11), command(1, 12)}, 2)});
    REQUIRE(n.commitIndex() == 2);
    const std::vector<Entry> before = n.log().entries();
    // A late copy of a message that carried only index 1: the answer still says 2, since
    // everything up to commitIndex matches the leader's log.
    const Actions a = n.step(Receive{appendEntries(1, 0, 1, 0, 0, {command(1, 10)}, 0)});
    CHECK(trace(a) == "ArmTimer(Election); Send(AppendEntriesResponse,to=1,term=1,ok,match=2)");
    CHECK(n.log().entries() == before);
    CHECK(n.commitIndex() == 2);
}

TEST_CASE("handleAppendEntries_truncatesAtConflict: §5.3 a conflicting entry and all after it "
          "are replaced; matching entries before it are kept") {
    // Entries 3..5 of term 2 came from a leader whose term-2 entries at 4..5 were lost.
    const DurableState d{.currentTerm = 3,
                         .log = {command(1, 1), command(1, 2), command(2, 3), command(2, 4),
                                 command(2, 5)}};
    Node n(cfg(0, 3), d);
    n.step(Start{});
    const Actions a =
        n.step(Receive{appendEntries(1, 0, 3, 2, 1, {command(2, 3), command(3, 40)}, 0)});
    CHECK(trace(a) ==
          "ArmTimer(Election); PersistEntries(first=4,terms=[3]); "
          "Send(AppendEntriesResponse,to=1,term=3,ok,match=4)");
    CHECK(n.log().entries() ==
          std::vector<Entry>{command(1, 1), command(1, 2), command(2, 3), command(3, 40)});
}

TEST_CASE("handleAppendEntries_appendsNewEntries: §5.3 entries past the follower's log are "
          "appended and persisted from the first new index") {
    Node n(cfg(0, 3), DurableState{.currentTerm = 2, .log = terms({1})});
    n.step(Start{});
    const Actions a = n.step(Receive{appendEntries(1, 0, 2, 0, 0, terms({1, 2, 2}), 0)});
    CHECK(trace(a) ==
          "ArmTimer(Election); PersistEntries(first=2,terms=[2,2]); "
          "Send(AppendEntriesResponse,to=1,term=2,ok,match=3)");
    CHECK(termsOf(n) == std::vector<Term>{1, 2, 2});
}

namespace {

const std::vector<Entry> kFigure7Leader = terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6});

struct Figure7Case {
    const char* name;
    std::vector<Entry> log;
    int rejections;  // round trips fast backtracking needs with the conflict hint
};

Term lastTermOf(const std::vector<Entry>& log) { return log.empty() ? 0 : log.back().term; }

}  // namespace

TEST_CASE("figure7_newLeaderRepairsEveryFollower: §5.3 figure 7: the leader of term 8 brings "
          "followers (a)-(f) to its own log") {
    const std::vector<Figure7Case> cases{
        {"(a) missing one entry", terms({1, 1, 1, 4, 4, 5, 5, 6, 6}), 1},
        {"(b) missing many entries", terms({1, 1, 1, 4}), 1},
        {"(c) one extra entry of term 6", terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}), 0},
        {"(d) two extra entries of term 7", terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}), 0},
        {"(e) missing entries, extra of term 4", terms({1, 1, 1, 4, 4, 4, 4}), 2},
        {"(f) extra entries of terms 2 and 3", terms({1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}), 2},
    };
    for (const Figure7Case& fc : cases) {
        CAPTURE(fc.name);
        // Seven servers as in the figure: 0 is the leader, 1 the follower under test;
        // servers 2..6 only lend their votes and hear nothing afterwards.
        std::vector<DurableState> durable(7);
        durable[0] = DurableState{.currentTerm = 7, .log = kFigure7Leader};
        durable[1] = DurableState{.currentTerm = lastTermOf(fc.log), .log = fc.log};
        Cluster c(durable);
        c.step(0, Start{});
        c.step(1, Start{});
        c.step(0, Timeout{Timer::Election});
        for (NodeId voter : {2, 3, 4}) c.deliver(voteResponse(voter, 0, 8, true));
        REQUIRE(c[0].role() == Role::Leader);
        REQUIRE(c[0].currentTerm() == 8);
        REQUIRE(termsOf(c[0]) == std::vector<Term>{1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8});

        c.pump([](const Message& m) {
            const bool between01 = (m.from == 0 && m.to == 1) || (m.from == 1 && m.to == 0);
            return !between01 || m.kind == MsgKind::RequestVote;
        });

        CHECK(c[1].log().entries() == c[0].log().entries());
        CHECK(c[1].currentTerm() == 8);
        CHECK(c[1].leaderId() == 0);
        CHECK(c[0].role() == Role::Leader);
        CHECK(c[0].progress(1).matchIndex == 11);
        CHECK(c[0].progress(1).nextIndex == 12);
        CHECK(c[0].progress(1).replicating);
        CHECK(c[0].commitIndex() == 0);  // 2 of 7 hold the no-op: no majority yet
        int rejections = 0;
        for (const Message& m : c.delivered) {
            if (m.kind == MsgKind::AppendEntriesResponse && !m.success) ++rejections;
        }
        CHECK(rejections == fc.rejections);
    }
}

TEST_CASE("figure7_wholeClusterConverges: §5.3/§5.4 figure 7: all seven servers run; the "
          "leader is elected by (a),(b),(e),(f), repairs everyone and commits") {
    std::vector<DurableState> durable{
        DurableState{.currentTerm = 7, .log = kFigure7Leader},
        DurableState{.currentTerm = 6, .log = terms({1, 1, 1, 4, 4, 5, 5, 6, 6})},
        DurableState{.currentTerm = 4, .log = terms({1, 1, 1, 4})},
        DurableState{.currentTerm = 6, .log = terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6})},
        DurableState{.currentTerm = 7, .log = terms({1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7})},
        DurableState{.currentTerm = 4, .log = terms({1, 1, 1, 4, 4, 4, 4})},
        DurableState{.currentTerm = 3, .log = terms({1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3})},
    };
    Cluster c(durable);
    for (NodeId i = 0; i < 7; ++i) c.step(i, Start{});
    c.elect(0);
    CHECK(c[0].currentTerm() == 8);
    // (c) and (d) have logs more up to date than the leader's and refused (§5.4.1).
    for (const Message& m : c.delivered) {
        if (m.kind != MsgKind::RequestVoteResponse) continue;
        CHECK_MESSAGE(m.success == (m.from != 3 && m.from != 4), "voter ", int{m.from});
    }
    for (NodeId i = 1; i < 7; ++i) {
        CAPTURE(int{i});
        CHECK(c[i].log().entries() == c[0].log().entries());
        CHECK(c[i].role() == Role::Follower);
        CHECK(c[0].progress(i).matchIndex == 11);
        CHECK(c[0].progress(i).nextIndex == 12);
    }
    CHECK(c[0].commitIndex() == 11);
    // A follower whose last probe left before the commit (here (b), caught up after a
    // majority already held index 11) learns commitIndex from the next heartbeat.
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump();
    for (NodeId i = 1; i < 7; ++i) {
        CAPTURE(int{i});
        CHECK(c[i].commitIndex() == 11);
        CHECK(c.applied[i] == c[0].log().entries());
    }
    CHECK(c.applied[0] == c[0].log().entries());
}

TEST_CASE("onTimeout_heartbeatReachesEveryFollower: §5.2/§5.3 a leader's heartbeat sends "
          "AppendEntries to every follower and re-arms itself") {
    Cluster c(5);
    c.elect(0);
    REQUIRE(c[0].commitIndex() == 1);
    c.network.clear();
    const Actions a = c.step(0, Timeout{Timer::Heartbeat});
    CHECK(trace(a) ==
          "Send(AppendEntries,to=1,term=1,prev=1,n=0); Send(AppendEntries,to=2,term=1,prev=1,n=0); "
          "Send(AppendEntries,to=3,term=1,prev=1,n=0); Send(AppendEntries,to=4,term=1,prev=1,n=0); "
          "ArmTimer(Heartbeat)");
    for (const Message& m : sent(a)) {
        CHECK(m.prevLogTerm == 1);
        CHECK(m.leaderCommit == 1);
    }
}

TEST_CASE("onTimeout_heartbeatReprobesLaggingFollower: §5.3 a follower whose AppendEntries were "
          "lost is probed again at the next heartbeat and catches up") {
    Cluster c(3);
    c.step(0, Timeout{Timer::Election});
    c.pump([](const Message& m) { return m.to == 2 && m.kind == MsgKind::AppendEntries; });
    REQUIRE(c[0].role() == Role::Leader);
    CHECK(c[2].log().lastIndex() == 0);
    CHECK(c[0].progress(2).probeSent);  // waiting for an answer that will never come
    const Actions h = c.step(0, Timeout{Timer::Heartbeat});
    CHECK(trace(h) ==
          "Send(AppendEntries,to=1,term=1,prev=1,n=0); "
          "Send(AppendEntries,to=2,term=1,prev=0,n=1); ArmTimer(Heartbeat)");
    c.pump();
    CHECK(c[2].log().entries() == c[0].log().entries());
    CHECK(c[2].commitIndex() == 1);
    CHECK(c[0].progress(2).matchIndex == 1);
}

TEST_CASE("onTimeout_heartbeatIgnoredByFollower: a follower's stray heartbeat timer does nothing") {
    Node n(cfg(0, 3));
    n.step(Start{});
    CHECK(n.step(Timeout{Timer::Heartbeat}).empty());
}

TEST_SUITE_END();
