#include "sim/core_node.hpp"

namespace sim {

namespace {

class CoreImplementation final : public Implementation {
public:
    std::string_view name() const override { return "raftsim"; }
    std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                         const raft::DurableState& durable) const override {
        return std::make_unique<CoreNode>(config, durable);
    }
    // Thesis §4.2.3 (Config::disregardVotesWithLeader, leaseReads): a follower that heard
    // from a current leader drops a RequestVote whole, so its term stays.
    bool mayDisregardTerm(const raft::Message& m, const NodeView& receiver) const override {
        return m.kind == raft::MsgKind::RequestVote && !m.leadershipTransfer &&
               receiver.disregardsVotes;
    }
};

}  // namespace

const Implementation& coreImplementation() {
    static const CoreImplementation core;
    return core;
}

}  // namespace sim
