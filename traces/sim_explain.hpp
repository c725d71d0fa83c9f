// Explanations of simulator events for `replay --steps` and the html export, from what
// the replaying process sees: each node's state before the event (kept from the event
// before), after it, and the delivered message whole (World::lastDelivered).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/world.hpp"

namespace traces {

class SimExplainer {
public:
    // Called once per event, in order, with the world after it; returns what to say of it
    // ("why: ...", "n0 commits ...").
    std::vector<std::string> next(const sim::EventRecord& e, const sim::World& world);

private:
    std::vector<std::optional<raft::Node>> nodes_;  // after the last event
};

}  // namespace traces
