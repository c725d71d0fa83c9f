// What can happen next where a stepper session stands, each as the scenario command that
// makes it happen (scenarios/README.md): deliver, drop or duplicate a message, a timer,
// a proposal, a crash or restart, a partition that isolates one node, a one-way cut,
// heal. The order is fixed by the state alone, so a numbered list means the same thing
// every time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/mc/cex_json.hpp"
#include "traces/scenario/session.hpp"

namespace step {

struct Choice {
    std::string command;  // a scenario command line, e.g. "deliver vote 0->1"
};

std::vector<Choice> choices(const scenario::Session& s, int nextValue);

// The shortest words that name message `id` among those in flight in `s`:
// "vote 0->1", "app 0->2 prev=(1,1)", ... (pickMessage finds exactly it again).
std::string messageWords(const mc::Model& model, const mc::State& s, std::uint32_t id);

// The scenario command of one step of a model trace, where the session stands (its
// message found in flight). Throws std::invalid_argument when the message is not there.
std::string commandFor(const scenario::Session& s, const mc::PathStep& step);

// The `cluster` command that gives a session these bounds' cluster (nodes, batch,
// heartbeats, check-quorum, bugs).
std::string clusterCommand(const mc::Bounds& bounds);

}  // namespace step
