// The seam between the simulated world and the Raft implementation it tests. The world,
// the checker, sweeps and traces drive every node through NodeUnderTest: inputs in,
// actions out (core/io.hpp's contract, durability rules included), and a read-only view
// for the checker. raftsim's own core is one implementation (sim/core_node.hpp); another
// Raft plugs in by implementing these two classes (docs/ADAPTERS.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/config.hpp"
#include "core/io.hpp"
#include "core/message.hpp"

namespace raft {
class Node;
enum class Role : std::uint8_t;
}  // namespace raft

namespace sim {

// What the checker reads of a node after each step: figure 2's state, and the end of
// the log (§5.4.1's "up to date").
struct NodeView {
    raft::NodeId id = raft::kNoNode;
    raft::Role role{};
    raft::Term currentTerm = 0;
    raft::NodeId votedFor = raft::kNoNode;
    raft::NodeId leaderId = raft::kNoNode;
    raft::Index commitIndex = 0;
    raft::Index lastIndex = 0;
    raft::Term lastTerm = 0;
    // Leaders: the follower leadership is being transferred to (thesis §3.10), kNoNode
    // when none (and for an implementation that does not say).
    raft::NodeId transferTarget = raft::kNoNode;
    // Thesis §4.2.3: a RequestVote of a higher term (not from a transfer) would be
    // disregarded, term and all (false for an implementation that does not say).
    bool disregardsVotes = false;
};

class NodeUnderTest {
public:
    virtual ~NodeUnderTest() = default;

    // Feeds one input; appends the resulting actions to `out` in execution order.
    virtual void step(const raft::Input& input, raft::Actions& out) = 0;
    virtual NodeView view() const = 0;
    // Log entries first..last (1 <= first, last <= view().lastIndex), contiguous. They
    // stay valid until the node's next step: Apply actions are read through this.
    virtual std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const = 0;
    // raftsim's own core when that is what runs, for viewers that explain its decisions
    // from its internals (progress, votes granted); null for other implementations.
    virtual const raft::Node* core() const { return nullptr; }

    // Exploration hooks, for `raftsim check --impl` (sim/seamcheck/, docs/ADAPTERS.md,
    // "Exploring through the seam"). All optional.
    //
    // A node that behaves as this one from here on, or null when the implementation
    // cannot copy itself: the explorer then re-creates a node by replaying its inputs
    // into a fresh one started from the same durable state (implementations are
    // deterministic).
    virtual std::unique_ptr<NodeUnderTest> clone() const { return nullptr; }
    // A hash of everything that decides what the node does from here on (two nodes with
    // equal fingerprints behave alike), or nullopt when the implementation cannot say:
    // the explorer refuses such an implementation.
    virtual std::optional<std::uint64_t> fingerprint() const { return std::nullopt; }
    // The explorer's abstract timer event: `timer` fires. By default one Timeout input;
    // an implementation that keeps its own timers on a ticking clock (canonical/raft)
    // ticks until the timer acts.
    virtual void exploreTimeout(raft::Timer timer, raft::Actions& out) { step(raft::Timeout{timer}, out); }
};

// Makes the nodes of one implementation.
class Implementation {
public:
    virtual ~Implementation() = default;
    virtual std::string_view name() const = 0;
    // A node that starts from `durable` (empty for a node that never ran), configured
    // for `config.clusterSize` voters and the timer ranges in `config`.
    virtual std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                                 const raft::DurableState& durable) const = 0;
    // A departure from figure 2 that the implementation makes by design and documents:
    // whether a node in state `receiver` (its view before the step) may leave the higher
    // term of `m` unadopted because it disregards `m` as a whole (canonical/raft: thesis
    // §4.2.3, a server that knows a leader disregards RequestVote). Asked only for a
    // message whose term binds and exceeds the receiver's; false: the checker's
    // higher-term-adopted rule applies in full.
    virtual bool mayDisregardTerm(const raft::Message& m, const NodeView& receiver) const {
        (void)m;
        (void)receiver;
        return false;
    }
};

// raftsim's own core (core/), the default.
const Implementation& coreImplementation();

}  // namespace sim
