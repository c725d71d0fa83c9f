// The model checker's model (sim/mc/model.hpp) for any implementation behind the node
// seam: the same bounds, events and properties, without the core's reductions (no
// symmetry, no dead messages) and with writes durable within their step. Built on
// NodeUnderTest and its exploration hooks (sim/node_seam.hpp), so it is far slower than
// mc::Model and meant for small bounds.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/mc/bounds.hpp"
#include "sim/mc/event.hpp"
#include "sim/mc/invariants_rules.hpp"
#include "sim/seamcheck/node_slot.hpp"

namespace mc::seam {

// One distinct message in flight and how many copies of it.
struct BagItem {
    raft::Message msg;
    std::uint64_t hash = 0;  // of every field, endpoints included: orders the bag
    std::uint32_t count = 0;
};

struct SeamState {
    std::vector<std::shared_ptr<const NodeSlot>> nodes;
    std::vector<raft::DurableState> durable;  // tracked when crashes are on
    std::array<std::uint8_t, kMaxNodes> env{};  // mc::EnvBit
    std::uint8_t crashes = 0;
    std::array<raft::NodeId, kMaxTerm + 1> leaderOf{};
    std::array<std::uint32_t, kMaxLog + 1> committed{};  // mc::Committed words
    std::vector<BagItem> bag;  // sorted by hash
};

struct SeamStep {
    bool inBounds = true;
    std::optional<McViolation> violation;
    Observed seen;
};

class SeamModel {
public:
    // Throws std::invalid_argument when the implementation lacks a fingerprint or the
    // bounds ask for what this model does not do (async writes).
    SeamModel(const sim::Implementation& impl, const Bounds& bounds);

    const Bounds& bounds() const { return bounds_; }
    // Whether nodes are copied (clone) rather than replayed.
    bool copies() const { return copies_; }

    SeamState initial();
    // In mc::Model's order: per node, then per message in flight. Event::msg is the
    // message's position in the bag.
    void enabled(const SeamState& s, std::vector<Event>& out) const;
    SeamStep step(const SeamState& s, const Event& e, SeamState& next);
    std::uint64_t fingerprint(const SeamState& s) const;
    // The message of a message event of `s`, in full.
    const raft::Message& message(const SeamState& s, const Event& e) const { return s.bag[e.msg].msg; }

private:
    SeamStep stepNode(const SeamState& s, const Event& e, const Given& given, SeamState& next);
    std::unique_ptr<sim::NodeUnderTest> materialize(const NodeSlot& slot, raft::NodeId id) const;
    std::shared_ptr<const NodeSlot> fresh(raft::NodeId id, const raft::DurableState& durable);
    std::shared_ptr<const NodeSlot> slotOf(std::unique_ptr<sim::NodeUnderTest> node,
                                           std::shared_ptr<const History> history);
    void reportDurable(sim::NodeUnderTest& node, raft::Actions& actions, History* history) const;
    bool apply(int i, const raft::Actions& actions, SeamState& next) const;
    bool addMessage(SeamState& next, const raft::Message& m) const;
    std::optional<McViolation> check(const Facts& before, const SeamState& now, int i, const raft::Message* received,
                                     SeamState& next, Observed& seen) const;
    bool tracksDurable() const { return bounds_.maxCrashes > 0; }

    const sim::Implementation& impl_;
    Bounds bounds_;
    bool copies_ = false;
    EntryIds ids_;
    bool checks_ = true;  // off while the initial state starts its nodes
};

}  // namespace mc::seam
