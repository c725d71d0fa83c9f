// Steps a node by hand and tells the checker, as the world does.
#pragma once

#include "sim/checker.hpp"
#include "sim/core_node.hpp"

namespace sim::test {

// raftsim's core behind the seam, as the world holds it, with the core's accessors.
class TestNode : public CoreNode {
public:
    explicit TestNode(const raft::Config& config, const raft::DurableState& durable = {})
        : CoreNode(config, durable) {}

    using CoreNode::step;
    raft::Actions step(const raft::Input& input) {
        raft::Actions out;
        step(input, out);
        return out;
    }
    const raft::Node& node() const { return *core(); }
    raft::NodeId id() const { return node().id(); }
    raft::Role role() const { return node().role(); }
    raft::Term currentTerm() const { return node().currentTerm(); }
    raft::Index commitIndex() const { return node().commitIndex(); }
    const raft::RaftLog& log() const { return node().log(); }
};

// One step, told to the checker.
inline raft::Actions stepOnce(Checker& checker, TestNode& node, const raft::Input& input) {
    const NodeView before = node.view();
    raft::Actions out = node.step(input);
    checker.afterStep(before, node.view(), node, out);
    return out;
}

inline bool wrote(const raft::Actions& actions) {
    for (const raft::Action& a : actions) {
        if (std::holds_alternative<raft::PersistHardState>(a) || std::holds_alternative<raft::PersistEntries>(a)) {
            return true;
        }
    }
    return false;
}

// One step on a disk that writes at once: the node hears its writes are durable (as
// often as that makes it write again). All actions, in order.
inline raft::Actions stepChecked(Checker& checker, TestNode& node, const raft::Input& input) {
    raft::Actions out = stepOnce(checker, node, input);
    raft::Actions more = out;
    for (int round = 0; wrote(more) && round < 8; ++round) {
        more = stepOnce(checker, node,
                        raft::Persisted{node.currentTerm(), node.log().lastIndex(), node.log().lastTerm()});
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

}  // namespace sim::test
