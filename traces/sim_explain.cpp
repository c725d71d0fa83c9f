#include "traces/sim_explain.hpp"

#include <fmt/format.h>

#include "sim/findings.hpp"
#include "traces/explain.hpp"

namespace traces {

std::vector<std::string> SimExplainer::next(const sim::EventRecord& e, const sim::World& world) {
    nodes_.resize(static_cast<std::size_t>(world.nodeCount()));
    std::vector<std::string> out;
    const raft::Node* after = e.node == raft::kNoNode ? nullptr : world.node(e.node);
    const std::optional<raft::Node>& before = e.node == raft::kNoNode ? std::nullopt : nodes_[e.node];
    if (after != nullptr && before && e.stepped) {
        if (e.kind == sim::EventKind::Deliver) out.push_back("why: " + explainReceive(*before, world.lastDelivered()).text);
        if (e.kind == sim::EventKind::Transfer) {
            out.push_back("why: " + explainTransfer(*before, static_cast<raft::NodeId>(e.ref)));
        }
        if (const auto c = explainCommit(*before, *after)) out.push_back(fmt::format("n{} {}", e.node, *c));
        if (const auto c = explainConfiguration(e.node, *before, *after)) out.push_back(*c);
    }
    // The heal of a run with a standing partial fault: what still stands (sim/standing.hpp).
    if (e.kind == sim::EventKind::Liveness && world.standingFault()) {
        out.push_back("standing fault: " + sim::describe(*world.standingFault()));
    }
    for (int i = 0; i < world.nodeCount(); ++i) {
        const raft::Node* n = world.node(static_cast<raft::NodeId>(i));
        if (n == nullptr) {
            nodes_[i].reset();
        } else if (i == e.node || !nodes_[i]) {
            nodes_[i] = *n;
        }
    }
    return out;
}

}  // namespace traces
