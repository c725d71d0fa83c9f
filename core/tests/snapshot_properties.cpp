// Log compaction under generated schedules (thesis §5.1-§5.3, figure 13): nodes compact at
// random applied indexes, crash and restart from snapshot plus log, and messages are
// delivered out of order, duplicated or lost. State machine safety (figure 3) holds after
// every step, and once the network heals every node catches up, through InstallSnapshot
// where its leader has discarded what it lacks.
#include <doctest/doctest.h>

#include "core/tests/harness.hpp"
#include "sim/tests/properties/rc_doctest.hpp"

using namespace raft;
using namespace raft::test;

namespace {

// Figure 3's state machine safety: whatever two nodes applied agrees where both applied.
void checkStateMachineSafety(const Cluster& c) {
    for (std::size_t i = 0; i < c.applied.size(); ++i) {
        for (std::size_t j = i + 1; j < c.applied.size(); ++j) {
            const std::size_t n = std::min(c.applied[i].size(), c.applied[j].size());
            RC_ASSERT(std::equal(c.applied[i].begin(), c.applied[i].begin() + static_cast<std::ptrdiff_t>(n),
                                 c.applied[j].begin()));
        }
    }
}

// One generated event: deliver, duplicate or drop a message in flight, fire a timer, propose,
// compact, or restart a node.
void randomEvent(Cluster& c, std::uint64_t& nextData) {
    const auto size = static_cast<int>(c.nodes.size());
    const auto node = static_cast<NodeId>(*rc::gen::inRange(0, size));
    const int kind = *rc::gen::inRange(0, 20);
    if (kind < 9 && !c.network.empty()) {
        const auto at = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, c.network.size()));
        const Message m = c.network[at];
        if (kind < 7) c.network.erase(c.network.begin() + static_cast<std::ptrdiff_t>(at));  // else: duplicated
        if (kind != 0) c.deliver(m);  // 0: lost
    } else if (kind < 10) {
        c.step(node, Timeout{Timer::Election});
    } else if (kind < 13) {
        c.step(node, Timeout{Timer::Heartbeat});
    } else if (kind < 16) {
        // Mostly to a leader: refused proposals make no log to compact.
        NodeId to = node;
        for (const Node& n : c.nodes) {
            if (n.role() == Role::Leader && kind != 13) to = n.id();
        }
        c.step(to, Propose{command(0, nextData++)});
    } else if (kind < 19) {
        const Node& n = c[node];
        if (n.lastApplied() > n.log().snapshotIndex()) {
            c.compact(node, *rc::gen::inRange<Index>(n.log().snapshotIndex() + 1, n.lastApplied() + 1));
        }
    } else {
        c.restart(node);
    }
}

// A leader whose term no node but `cutOff` has passed (a node at a later term would depose
// it), or none.
NodeId currentLeader(const Cluster& c, NodeId cutOff = kNoNode) {
    Term maxTerm = 0;
    for (const Node& n : c.nodes) {
        if (n.id() != cutOff) maxTerm = std::max(maxTerm, n.currentTerm());
    }
    for (const Node& n : c.nodes) {
        if (n.id() != cutOff && n.role() == Role::Leader && n.currentTerm() == maxTerm) return n.id();
    }
    return kNoNode;
}

// Nodes time out in turn, the network reliable but for `cutOff`'s messages, until one
// leads a term no other node has passed.
NodeId electSomeone(Cluster& c, NodeId cutOff = kNoNode) {
    const auto isCutOff = [cutOff](const Message& m) { return m.to == cutOff || m.from == cutOff; };
    c.pump(isCutOff);
    const auto size = static_cast<NodeId>(c.nodes.size());
    for (int attempt = 0; attempt < 4 * size && currentLeader(c, cutOff) == kNoNode; ++attempt) {
        const auto id = static_cast<NodeId>(attempt % size);
        if (id == cutOff) continue;
        c.step(id, Timeout{Timer::Election});
        c.pump(isCutOff);
    }
    const NodeId leader = currentLeader(c, cutOff);
    RC_ASSERT(leader != kNoNode);
    return leader;
}

// Every node compacts all it applied; `who` restarts from its snapshot and log (§5.1).
void compactAllAndRestart(Cluster& c, NodeId who) {
    for (NodeId id = 0; id < c.nodes.size(); ++id) {
        if (c[id].lastApplied() > c[id].log().snapshotIndex()) c.compact(id, c[id].lastApplied());
    }
    c.restart(who);
}

// Heal, with a directed ending: a leader is elected; one node is left behind, either a
// follower that misses a few entries, or the leader itself after appending entries only it
// holds (its log then conflicts with the next leader's, as in figure 7's (d)-(f)); the
// leader compacts the entries it missed away, another node restarts from its snapshot;
// the network becomes reliable, and a last proposal must reach every node (§5.3: through
// InstallSnapshot for the one left behind, which keeps or discards its log by figure 13).
void heal(Cluster& c, std::uint64_t data) {
    NodeId leader = electSomeone(c);
    const auto size = static_cast<int>(c.nodes.size());
    NodeId behind = static_cast<NodeId>((leader + *rc::gen::inRange(1, size)) % size);
    const auto isBehind = [&behind](const Message& m) { return m.to == behind || m.from == behind; };
    const bool leaderCutOff = *rc::gen::arbitrary<bool>();
    if (leaderCutOff) {
        behind = leader;
        const int alone = *rc::gen::inRange(2, 8);
        for (int k = 0; k < alone; ++k) {
            c.step(leader, Propose{command(0, data + 2000 + static_cast<std::uint64_t>(k))});
            c.pump(isBehind);
        }
        leader = electSomeone(c, behind);
    }
    // Fewer than the cut-off leader appended alone, mostly: the snapshot then ends inside
    // its conflicting entries rather than past its log.
    const int missed = *rc::gen::inRange(1, leaderCutOff ? 3 : 6);
    for (int k = 0; k < missed; ++k) {
        c.step(leader, Propose{command(0, data + 1000 + static_cast<std::uint64_t>(k))});
        c.pump(isBehind);
    }
    NodeId restarted = static_cast<NodeId>((leader + 1) % size);
    if (restarted == behind) restarted = static_cast<NodeId>((restarted + 1) % size);
    compactAllAndRestart(c, restarted);
    leader = electSomeone(c, behind);
    c.step(leader, Timeout{Timer::Heartbeat});
    c.pump();
    c.step(leader, Propose{command(0, data)});
    c.pump();
    c.step(leader, Timeout{Timer::Heartbeat});
    c.pump();
    RC_ASSERT(currentLeader(c) == leader);
}

}  // namespace

TEST_CASE("snapshot property: §5.1-§5.3 compaction, InstallSnapshot and restarts keep state "
          "machines safe, and every node catches up once the network heals") {
    // "Sometimes" counts (stateright's idea): a green run must have installed snapshots and
    // restarted from them, not only compacted.
    int runsWithInstall = 0;
    int runsWithRestore = 0;
    int runsWithConflict = 0;  // a follower's log held another entry at the snapshot's index
    rcdoctest::check("snapshot-safety-and-catch-up", [&] {
        const int size = *rc::gen::element(3, 5);
        Cluster c(size);
        std::uint64_t data = 1;
        const int events = *rc::gen::inRange(50, 400);
        for (int k = 0; k < events; ++k) {
            randomEvent(c, data);
            checkStateMachineSafety(c);
        }
        heal(c, data);
        checkStateMachineSafety(c);
        for (NodeId id = 0; id < c.nodes.size(); ++id) {
            RC_ASSERT(c.applied[id] == c.applied[0]);
            RC_ASSERT(c[id].commitIndex() == c[0].commitIndex());
        }
        RC_ASSERT(c.applied[0].back().data == data);  // the last proposal is applied everywhere
        const bool installed = std::any_of(c.delivered.begin(), c.delivered.end(), [](const Message& m) {
            return m.kind == MsgKind::InstallSnapshot;
        });
        runsWithInstall += installed ? 1 : 0;
        runsWithRestore += c.restoredFromDisk ? 1 : 0;
        runsWithConflict += c.conflictingLogsDiscarded > 0 ? 1 : 0;
    });
    MESSAGE(runsWithInstall, " runs delivered InstallSnapshot, ", runsWithConflict,
            " discarded a conflicting log for one, ", runsWithRestore,
            " restarted a node from a snapshot");
    CHECK(runsWithInstall > 0);
    CHECK(runsWithRestore > 0);
    CHECK(runsWithConflict > 0);
}
