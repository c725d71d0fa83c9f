// Steps a node by hand and tells the checker, as the world does.
#pragma once

#include "sim/checker.hpp"

namespace sim::test {

// One step, told to the checker.
inline raft::Actions stepOnce(Checker& checker, raft::Node& node, const raft::Input& input) {
    const NodeSnapshot before = NodeSnapshot::of(node);
    raft::Actions out = node.step(input);
    checker.afterStep(before, node, out);
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
inline raft::Actions stepChecked(Checker& checker, raft::Node& node, const raft::Input& input) {
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
