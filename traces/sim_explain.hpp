// Explanations of simulator events for `replay --steps`, from what the replaying process
// can see: each node's state before the event (kept from the event before) and after it.
// A simulator trace records a message's kind, sender, term and the event that sent it,
// not its other fields: a vote's candidate log is the sender's log end after the event
// that sent it (checked against the vote the receiver really cast), an append's outcome
// is read from what changed in the receiver (prevLogIndex is not recorded).
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
    struct LogEnd {
        raft::NodeId node = raft::kNoNode;
        raft::Index index = 0;
        raft::Term term = 0;
    };
    std::string why(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const;
    std::string vote(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const;
    std::string append(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const;

    std::vector<std::optional<raft::Node>> nodes_;  // after the last event
    std::vector<LogEnd> ends_;                      // ends_[k-1]: event k's node after it
};

}  // namespace traces
