// canonical/raft as an implementation under test (`--impl canonical`): built when
// libraft-dev is found (meson option `canonical`, auto).
#pragma once

#include "sim/canonical/canonical_node.hpp"

namespace sim::canonical {

class CanonicalImplementation final : public Implementation {
public:
    explicit CanonicalImplementation(Flaw flaw = Flaw::None) : flaw_(flaw) {}
    std::string_view name() const override;
    std::unique_ptr<NodeUnderTest> start(const raft::Config& config,
                                         const raft::DurableState& durable) const override {
        return std::make_unique<CanonicalNode>(config, durable, flaw_);
    }

private:
    Flaw flaw_;
};

// The one registered in sim/implementations.cpp, without a flaw.
const Implementation& implementation();

}  // namespace sim::canonical
