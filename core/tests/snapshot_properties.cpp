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

// A leader whose term no node has passed (a node at a later term would depose it), or none.
NodeId currentLeader(const Cluster& c) {
    Term maxTerm = 0;
    for (const Node& n : c.nodes) maxTerm = std::max(maxTerm, n.currentTerm());
    for (const Node& n : c.nodes) {
        if (n.role() == Role::Leader && n.currentTerm() == maxTerm) return n.id();
    }
    return kNoNode;
}

// Nodes time out in turn, the network reliable, until one leads a term no node has passed.
NodeId electSomeone(Cluster& c) {
    c.pump();
    const auto size = static_cast<NodeId>(c.nodes.size());
    for (int attempt = 0; attempt < 4 * size && currentLeader(c) == kNoNode; ++attempt) {
        c.step(static_cast<NodeId>(attempt % size), Timeout{Timer::Election});
        c.pump();
    }
    const NodeId leader = currentLeader(c);
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

// Heal, with a directed ending: a leader is elected; one follower misses a few entries
// that the leader then compacts away, another restarts from its snapshot; the network
// becomes reliable and a last proposal must reach every node (§5.3: through
// InstallSnapshot for the one left behind).
void heal(Cluster& c, std::uint64_t data) {
    NodeId leader = electSomeone(c);
    const auto size = static_cast<int>(c.nodes.size());
    const auto behind = static_cast<NodeId>((leader + *rc::gen::inRange(1, size)) % size);
    const int missed = *rc::gen::inRange(1, 6);
    for (int k = 0; k < missed; ++k) {
        c.step(leader, Propose{command(0, data + 1000 + static_cast<std::uint64_t>(k))});
        c.pump([behind](const Message& m) { return m.to == behind || m.from == behind; });
    }
    const auto restarted = static_cast<NodeId>((behind + 1) % size == leader ? (leader + 1) % size
                                                                              : (behind + 1) % size);
    compactAllAndRestart(c, restarted);
    leader = electSomeone(c);
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
    });
    MESSAGE(runsWithInstall, " runs delivered InstallSnapshot, ", runsWithRestore,
            " restarted a node from a snapshot");
    CHECK(runsWithInstall > 0);
    CHECK(runsWithRestore > 0);
}
