// Commitment: the leader's no-op, the current-term commit rule (§5.4.2, figure 8), the
// follower's commit rule (§5.3), and applying committed entries in order exactly once.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/tests/harness.hpp"

using namespace raft;
using namespace raft::test;

TEST_SUITE_BEGIN("commit");

TEST_CASE("becomeLeader_appendsNoopOfItsTerm: §5.4.2/§8 a new leader appends a no-op of its "
          "term; committing it commits the earlier entries") {
    Node n = makeLeader(cfg(0, 3), DurableState{.currentTerm = 1, .log = terms({1, 1})});
    CHECK(n.currentTerm() == 2);
    CHECK(termsOf(n) == std::vector<Term>{1, 1, 2});
    CHECK(n.log().at(3).kind == EntryKind::Noop);
    CHECK(n.commitIndex() == 0);  // the term-1 entries are not known to be committed
    const Actions a = n.step(Receive{appendResponse(1, 0, 2, true, 3)});
    CHECK(trace(a) == "Apply(first=1,n=3); Send(AppendEntries,to=1,term=2,prev=3,n=0)");
    CHECK(n.commitIndex() == 3);
    CHECK(n.lastApplied() == 3);
    CHECK(sent(a).at(0).leaderCommit == 3);  // the follower learns it without waiting
}

TEST_CASE("advanceLeaderCommit_needsMajority: §5.3 an entry of the current term commits once a "
          "majority holds it, not before") {
    Node n = makeLeader(cfg(0, 5));
    stepDurably(n, Propose{command(0, 7)});
    REQUIRE(n.log().lastIndex() == 2);
    // Follower 1 takes index 1, then index 2: with the leader that is 2 of 5.
    CHECK(trace(n.step(Receive{appendResponse(1, 0, 1, true, 1)})) ==
          "Send(AppendEntries,to=1,term=1,prev=1,n=1)");
    CHECK(trace(n.step(Receive{appendResponse(1, 0, 1, true, 2)})) == "");
    CHECK(n.commitIndex() == 0);
    // Follower 3 takes index 1: index 1 is on 3 of 5 and commits; index 2 does not.
    CHECK(trace(n.step(Receive{appendResponse(3, 0, 1, true, 1)})) ==
          "Apply(first=1,n=1); Send(AppendEntries,to=1,term=1,prev=2,n=0); "
          "Send(AppendEntries,to=3,term=1,prev=1,n=1)");
    CHECK(n.commitIndex() == 1);
    CHECK(trace(n.step(Receive{appendResponse(3, 0, 1, true, 2)})) ==
          "Apply(first=2,n=1); Send(AppendEntries,to=1,term=1,prev=2,n=0); "
          "Send(AppendEntries,to=3,term=1,prev=2,n=0)");
    CHECK(n.commitIndex() == 2);
    CHECK(n.progress(1).matchIndex == 2);
    CHECK(n.progress(3).matchIndex == 2);
    CHECK(n.progress(2).matchIndex == 0);
}

TEST_CASE("handleAppendEntries_commitsToMinOfLeaderCommitAndLastNew: §5.3 a follower advances "
          "commitIndex to min(leaderCommit, index of last new entry)") {
    SUBCASE("leaderCommit beyond the new entries") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1});
        n.step(Start{});
        const Actions a = n.step(Receive{appendEntries(1, 0, 1, 0, 0, terms({1, 1}), 5)});
        CHECK(n.commitIndex() == 2);
        // Persisted, then applied, then acknowledged.
        CHECK(trace(a) ==
              "ArmTimer(Election); PersistEntries(first=1,terms=[1,1]); Apply(first=1,n=2); "
              "Send(AppendEntriesResponse,to=1,term=1,ok,match=2)");
    }
    SUBCASE("leaderCommit within the new entries") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1});
        n.step(Start{});
        n.step(Receive{appendEntries(1, 0, 1, 0, 0, terms({1, 1, 1}), 1)});
        CHECK(n.commitIndex() == 1);
        CHECK(n.lastApplied() == 1);
    }
    SUBCASE("unverified entries after the message are not committed") {
        // Entries 2 and 3 may differ from the leader's: this message verified only 1.
        Node n(cfg(0, 3), DurableState{.currentTerm = 2, .log = terms({1, 1, 1})});
        n.step(Start{});
        n.step(Receive{appendEntries(1, 0, 2, 1, 1, {}, 3)});
        CHECK(n.commitIndex() == 1);
    }
    SUBCASE("commitIndex never moves back") {
        Node n(cfg(0, 3), DurableState{.currentTerm = 1});
        n.step(Start{});
        n.step(Receive{appendEntries(1, 0, 1, 0, 0, terms({1, 1}), 2)});
        const Actions a = n.step(Receive{appendEntries(1, 0, 1, 2, 1, terms({1}), 1)});
        CHECK(n.commitIndex() == 2);
        CHECK(positionOf<Apply>(a) == -1);
    }
}

TEST_CASE("handleAppendEntries_commitsToMinOfLeaderCommitAndLastNew_bugCommitPastNewEntries: "
          "§5.3 with Bug::CommitPastNewEntries the unverified entries are committed") {
    Node n(cfg(0, 3, bugs(Bug::CommitPastNewEntries)),
           DurableState{.currentTerm = 2, .log = terms({1, 1, 1})});
    n.step(Start{});
    n.step(Receive{appendEntries(1, 0, 2, 1, 1, {}, 3)});
    CHECK(n.commitIndex() == 3);  // what the test above forbids
}

namespace {

// Figure 8 of the Raft paper, with 5 servers S1..S5 as ids 0..4. S1 led term 2 and
// wrote index 2 on S2; S5 led term 3 and wrote its own index 2. Now S1 wins term 4 with
// S2 and S3 (S4, S5 do not hear it), and its no-op at index 3 is its term-4 entry.
// One entry per AppendEntries, and S1's AppendEntries with index 3 for S3 is held back:
// then index 2 (term 2) sits on S1, S2, S3, a majority, and index 3 only on S1 and S2.
struct Figure8 {
    Cluster c;
    std::vector<Message> held;
};

Figure8 figure8Situation(BugSet bugSet) {
    Config base;
    base.maxEntriesPerAppend = 1;
    base.bugs = bugSet;
    Figure8 f{Cluster({DurableState{.currentTerm = 3, .log = terms({1, 2})},
                       DurableState{.currentTerm = 2, .log = terms({1, 2})},
                       DurableState{.currentTerm = 2, .log = terms({1})},
                       DurableState{.currentTerm = 2, .log = terms({1})},
                       DurableState{.currentTerm = 3, .log = terms({1, 3})}},
                      base),
              {}};
    f.c.step(0, Timeout{Timer::Election});
    f.c.pump([&f](const Message& m) {
        if (m.to == 3 || m.to == 4) return true;  // S4 and S5 are cut off from S1
        if (m.to == 2 && m.kind == MsgKind::AppendEntries && m.prevLogIndex == 2 &&
            f.c[2].log().lastIndex() == 2) {
            f.held.push_back(m);
            return true;
        }
        return false;
    });
    REQUIRE(f.c[0].role() == Role::Leader);
    REQUIRE(f.c[0].currentTerm() == 4);
    REQUIRE(termsOf(f.c[0]) == std::vector<Term>{1, 2, 4});
    REQUIRE(termsOf(f.c[1]) == std::vector<Term>{1, 2, 4});
    REQUIRE(termsOf(f.c[2]) == std::vector<Term>{1, 2});
    REQUIRE(f.c[0].progress(1).matchIndex == 3);
    REQUIRE(f.c[0].progress(2).matchIndex == 2);
    REQUIRE(f.held.size() == 1);
    return f;
}

// From the situation above S5 can still win term 5 with S3 and S4 (§5.4.1 lets it: its
// last term 3 beats their 2 and 1) and overwrite index 2 on S3. Returns that world.
Cluster s5TakesOver(const Cluster& situation) {
    Cluster alt = situation;
    alt.step(4, Timeout{Timer::Election});  // term 4: S3 already voted for S1
    alt.step(4, Timeout{Timer::Election});  // term 5
    alt.pump([](const Message& m) { return m.to <= 1 || m.from <= 1; });
    REQUIRE(alt[4].role() == Role::Leader);
    REQUIRE(alt[4].currentTerm() == 5);
    return alt;
}

}  // namespace

TEST_CASE("figure8_earlierTermEntryNotCommittedByCounting: §5.4.2 figure 8: an entry of an "
          "earlier term on a majority is not committed until an entry of the current term is") {
    Figure8 f = figure8Situation({});
    CHECK(f.c[0].commitIndex() == 0);
    CHECK(f.c.applied[0].empty());

    // Why: S5 can still be elected and replace index 2 on S3.
    const Cluster alt = s5TakesOver(f.c);
    CHECK(alt[2].log().at(2).term == 3);
    CHECK(alt[4].commitIndex() == 3);
    CHECK(termsOf(alt[4]) == std::vector<Term>{1, 3, 5});

    // Once S3 holds S1's term-4 entry, counting commits it and, with it, index 2.
    const Actions a = f.c.deliver(f.held[0]);
    CHECK(trace(a) ==
          "ArmTimer(Election); PersistEntries(first=3,terms=[4]); "
          "Send(AppendEntriesResponse,to=0,term=4,ok,match=3)");
    f.c.pump([](const Message& m) { return m.to == 3 || m.to == 4; });
    CHECK(f.c[0].commitIndex() == 3);
    CHECK(termsOf(f.c.applied[0]) == std::vector<Term>{1, 2, 4});
    CHECK(f.c[1].commitIndex() == 3);
    CHECK(f.c[2].commitIndex() == 3);
    // Now S5 cannot win any more: a majority's last term is 4.
    Cluster late = f.c;
    late.step(4, Timeout{Timer::Election});
    late.step(4, Timeout{Timer::Election});
    late.pump([](const Message& m) { return m.to <= 1 || m.from <= 1; });
    CHECK(late[4].role() == Role::Candidate);
}

TEST_CASE("figure8_earlierTermEntryNotCommittedByCounting_bugFigure8Commit: §5.4.2 with "
          "Bug::Figure8Commit the same situation commits index 2, and S5 overwrites it") {
    Figure8 f = figure8Situation(bugs(Bug::Figure8Commit));
    CHECK(f.c[0].commitIndex() == 2);  // what the test above forbids
    CHECK(termsOf(f.c.applied[0]) == std::vector<Term>{1, 2});
    const Cluster alt = s5TakesOver(f.c);
    // Two different entries committed at index 2: State Machine Safety is broken.
    CHECK(alt[4].commitIndex() >= 2);
    CHECK(alt[4].log().at(2).term == 3);
    CHECK(f.c[0].log().at(2).term == 2);
}

namespace {

std::vector<std::uint64_t> dataOf(const std::vector<Entry>& entries) {
    std::vector<std::uint64_t> out;
    for (const Entry& e : entries) {
        if (e.kind == EntryKind::Command) out.push_back(e.data);
    }
    return out;
}

}  // namespace

TEST_CASE("apply_committedEntriesInOrderExactlyOnce: §5.3/§5.4 across a run with duplicated "
          "messages and a leader change, the Apply actions of every node concatenate to the "
          "committed log") {
    Cluster c(3);  // Cluster::step checks each Apply starts where the last one ended
    c.elect(0);
    for (std::uint64_t i = 101; i <= 105; ++i) c.step(0, Propose{command(0, i)});
    c.pump();
    for (std::uint64_t i = 106; i <= 110; ++i) c.step(0, Propose{command(0, i)});
    c.step(0, Timeout{Timer::Heartbeat});
    const std::deque<Message> copy = c.network;  // every message arrives twice
    c.network.insert(c.network.end(), copy.begin(), copy.end());
    c.pump();
    REQUIRE(c[0].commitIndex() == 11);

    // Node 0 is cut off; it still takes proposals that can never commit.
    for (std::uint64_t i = 901; i <= 903; ++i) c.step(0, Propose{command(0, i)});
    c.network.clear();
    const auto cutOff = [](const Message& m) { return m.to == 0 || m.from == 0; };
    c.step(1, Timeout{Timer::Election});
    c.pump(cutOff);
    REQUIRE(c[1].role() == Role::Leader);
    REQUIRE(c[1].currentTerm() == 2);
    for (std::uint64_t i = 201; i <= 205; ++i) c.step(1, Propose{command(0, i)});
    c.pump(cutOff);
    CHECK(c[1].commitIndex() == 17);  // 11 + the term-2 no-op + 5 commands

    // Healed: node 0 hears term 2, steps down, and is repaired by node 1.
    c.step(0, Timeout{Timer::Heartbeat});
    c.pump();
    CHECK(c[0].role() == Role::Follower);
    c.step(1, Timeout{Timer::Heartbeat});
    c.pump();

    std::vector<std::uint64_t> expected;
    for (std::uint64_t i = 101; i <= 110; ++i) expected.push_back(i);
    for (std::uint64_t i = 201; i <= 205; ++i) expected.push_back(i);
    const std::vector<Entry> committed = c[1].log().entries();
    REQUIRE(committed.size() == 17);
    for (NodeId i = 0; i < 3; ++i) {
        CAPTURE(int{i});
        CHECK(c[i].commitIndex() == 17);
        CHECK(c[i].lastApplied() == 17);
        CHECK(c.applied[i] == committed);
        CHECK(dataOf(c.applied[i]) == expected);
    }
}

TEST_CASE("appendAsLeader_100kEntries: §5.3 a single-node leader appends and commits 100,000 "
          "entries, each in O(1)") {
    Node n(cfg(0, 1));
    n.step(Start{});
    stepDurably(n, Timeout{Timer::Election});
    REQUIRE(n.role() == Role::Leader);
    REQUIRE(n.commitIndex() == 1);
    constexpr std::uint32_t kEntries = 100'000;
    Index nextApply = 2;
    bool repliesOk = true;
    Actions out;
    for (std::uint32_t i = 1; i <= kEntries; ++i) {
        out.clear();
        n.step(Propose{Entry{.kind = EntryKind::Command, .clientId = 1, .seq = i, .data = i}}, out);
        n.step(allDurable(n), out);
        for (const Action& a : out) {
            if (const auto* ap = std::get_if<Apply>(&a)) {
                repliesOk = repliesOk && ap->firstIndex == nextApply;
                nextApply += ap->count();
            } else if (const auto* r = std::get_if<ProposeReply>(&a)) {
                repliesOk = repliesOk && r->accepted && r->index == i + 1 && r->seq == i;
            }
        }
    }
    CHECK(repliesOk);
    CHECK(n.commitIndex() == kEntries + 1);
    CHECK(n.lastApplied() == kEntries + 1);
    CHECK(nextApply == kEntries + 2);
    CHECK(n.log().lastIndex() == kEntries + 1);
    CHECK(n.log().at(kEntries + 1).data == kEntries);
    CHECK(n.log().at(kEntries + 1).term == 1);
}

TEST_SUITE_END();
