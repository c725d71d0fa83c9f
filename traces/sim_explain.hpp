// Explanations of simulator events for `replay --steps`, from what the replaying process
// can see: each node's state before the event (kept from the event before) and after it.
// A simulator trace records a message's kind, sender, term and the event that sent it,
// not its other fields: a vote's candidate log is the sender's log end after the event
// that sent it (checked against the vote the receiver really cast); an append that
// changed the receiver's log or commit was accepted, and one that did not was accepted
// for sure when the receiver's log already holds all of its sender's (who still leads
// the append's term, so prevLogIndex lies within it); otherwise prevLogIndex, which is
// not recorded, decides, and the explanation says so.
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

    const sim::World* world_ = nullptr;             // during next(): the world after the event
    std::vector<std::optional<raft::Node>> nodes_;  // after the last event
    std::vector<LogEnd> ends_;                      // ends_[k-1]: event k's node after it
};

}  // namespace traces
