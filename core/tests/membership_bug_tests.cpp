// The membership bug switches (core/bugs.hpp), each shown against the correct behaviour.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"

namespace raft::test {
namespace {

ChangeReply replyTo(Cluster& c, NodeId at, ChangeKind kind, NodeId node) {
    const std::vector<ChangeReply> replies = only<ChangeReply>(c.step(at, ChangeMembership{kind, node}));
    REQUIRE(replies.size() == 1);
    return replies[0];
}

Config with(Bug bug) {
    Config base;
    base.bugs = bugs(bug);
    return base;
}

}  // namespace

TEST_CASE("bug concurrent-changes: a second change is appended while the first is uncommitted") {
    for (const bool buggy : {false, true}) {
        CAPTURE(buggy);
        Cluster c = growing(3, 5, buggy ? with(Bug::ConcurrentChanges) : Config{});
        c.elect(0);
        CHECK(replyTo(c, 0, ChangeKind::AddLearner, 3).accepted);
        const ChangeReply second = replyTo(c, 0, ChangeKind::AddLearner, 4);
        CHECK(second.accepted == buggy);
        CHECK(c[0].membershipIndex() > c[0].commitIndex());
        CHECK(c[0].log().lastIndex() == (buggy ? 3u : 2u));
    }
}

TEST_CASE("bug removed-leader-stays: a leader whose removal committed keeps leading") {
    for (const bool buggy : {false, true}) {
        CAPTURE(buggy);
        Cluster c = settled(buggy ? with(Bug::RemovedLeaderStays) : Config{});
        CHECK(replyTo(c, 0, ChangeKind::RemoveServer, 0).accepted);
        c.pump();
        c.step(0, Timeout{Timer::Heartbeat});
        c.pump();
        REQUIRE(c[0].commitIndex() >= c[0].membershipIndex());
        CHECK_FALSE(c[0].membership().isVoter(0));
        CHECK((c[0].role() == Role::Leader) == buggy);
    }
}

TEST_CASE("bug learner-counted-in-quorum: a learner's acknowledgement commits an entry") {
    for (const bool buggy : {false, true}) {
        CAPTURE(buggy);
        Cluster c = growing(3, 4, buggy ? with(Bug::LearnerCountedInQuorum) : Config{});
        c.elect(0);
        CHECK(replyTo(c, 0, ChangeKind::AddLearner, 3).accepted);
        c.pump();
        REQUIRE(c[0].commitIndex() == 2);
        // Only the leader and the learner store the next entry.
        c.step(0, Propose{command(0, 1)});
        c.pump([](const Message& m) { return m.to == 1 || m.to == 2; });
        CHECK(c[3].log().lastIndex() == 3);
        CHECK(c[0].commitIndex() == (buggy ? 3u : 2u));
    }
}

}  // namespace raft::test
