// Dead messages: messages in flight whose delivery, now or at any later time, changes
// nothing: not the receiver, and not (through the receiver's answer) the sender. A bag
// that holds one is equivalent to the same bag without it, so the model drops them as
// soon as they die and states that differ only in such garbage are one state.
//
// The rules read the core's handling of each message (core/node.cpp); a test explores
// small bounds with and without them and compares every node's reachable states.
#pragma once

#include "core/message.hpp"
#include "core/node.hpp"

#include <string>

namespace mc {

// `from` and `to` are the sender and receiver as they are now; `maxTerm` is the highest
// term any node can reach within the bounds. Sound only for a node without bug switches.
bool isDead(const raft::Message& m, const raft::Node& from, const raft::Node& to, raft::Term maxTerm);

// Whether what the rules read of a node differs between `a` and `b`.
bool sameDeadView(const raft::Node& a, const raft::Node& b);

// Why the rules are known not to hold for a node with these bug switches (the switches
// that change what a node does with a message the rules call dead: a stale append or
// vote taken as current, a vote counted twice, a vote of this term forgotten, pre-votes
// counted), or empty. Other changes to the node are caught by the audit (audit.hpp).
std::string knownToBreakDeadRules(const raft::BugSet& bugs);

}  // namespace mc
