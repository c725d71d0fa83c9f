// raftsim's own core (core/node.hpp) behind the node seam (sim/node_seam.hpp).
#pragma once

#include "core/node.hpp"
#include "sim/node_seam.hpp"

namespace sim {

class CoreNode : public NodeUnderTest {
public:
    CoreNode(const raft::Config& config, const raft::DurableState& durable)
        : node_(config, durable) {}

    void step(const raft::Input& input, raft::Actions& out) override { node_.step(input, out); }
    NodeView view() const override { return viewOf(node_); }
    std::span<const raft::Entry> entries(raft::Index first, raft::Index last) const override {
        return node_.log().slice(first, last);
    }
    const raft::Node* core() const override { return &node_; }
    std::unique_ptr<NodeUnderTest> clone() const override { return std::make_unique<CoreNode>(*this); }
    std::optional<std::uint64_t> fingerprint() const override { return node_.fingerprint(); }

    static NodeView viewOf(const raft::Node& n) {
        return {n.id(),          n.role(),           n.currentTerm(),    n.votedFor(),
                n.leaderId(),    n.commitIndex(),    n.log().lastIndex(), n.log().lastTerm(),
                n.transferTarget(), n.disregardsVotes()};
    }

private:
    raft::Node node_;
};

}  // namespace sim
