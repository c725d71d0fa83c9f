// canonical/raft as an implementation under test (`--impl canonical`): built when
// libraft-dev is found (meson option `canonical`, auto).
#pragma once

#include "sim/canonical/canonical_node.hpp"

namespace sim::canonical {

// How the checker judges canonical/raft's terms.
enum class Terms : std::uint8_t {
    // Figure 2 in full, except where canonical/raft disregards a whole message by design
    // (mayDisregardTerm below): the default.
    ByDesign,
    // Figure 2 in full: every message whose term binds must raise the receiver's term.
    Strict,
};

class CanonicalImplementation final : public Implementation {
public:
    explicit CanonicalImplementation(Flaw flaw = Flaw::None, Terms terms = Terms::ByDesign)
        : flaw_(flaw), terms_(terms) {}
    std::string_view name() const override;
    std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                         const raft::DurableState& durable) const override {
        return std::make_unique<CanonicalNode>(config, durable, flaw_);
    }
    // canonical/raft 0.15 reads a message's term only when it handles the message: a
    // RequestVote that reaches a node knowing a leader (thesis §4.2.3: it does not
    // update its term or grant its vote), a vote result that reaches a node no longer a
    // candidate, and an append result that reaches a node no longer a leader are
    // dropped unread.
    bool mayDisregardTerm(const raft::Message& m, const NodeView& receiver) const override;

private:
    Flaw flaw_;
    Terms terms_;
};

// The one registered in sim/implementations.cpp: no flaw, terms judged by design.
const Implementation& implementation();
// The same judged by figure 2 in full (`--impl canonical-strict`).
const Implementation& strictImplementation();
// With followers' acknowledgements patched to figure 2's matchIndex, to triage finding 1
// (`--impl canonical-figure2-acks`).
const Implementation& figure2AcksImplementation();

}  // namespace sim::canonical
