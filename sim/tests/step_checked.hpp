// Steps a node by hand and tells the checker, as the world does.
#pragma once

#include "sim/checker.hpp"

namespace sim::test {

inline raft::Actions stepChecked(Checker& checker, raft::Node& node, const raft::Input& input) {
    const NodeSnapshot before = NodeSnapshot::of(node);
    raft::Actions out = node.step(input);
    checker.afterStep(before, node, out);
    return out;
}

}  // namespace sim::test
