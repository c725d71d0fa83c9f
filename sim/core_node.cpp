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
};

}  // namespace

const Implementation& coreImplementation() {
    static const CoreImplementation core;
    return core;
}

}  // namespace sim
