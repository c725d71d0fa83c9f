// The Raft implementations this build can test through the node seam
// (sim/node_seam.hpp), by name: raftsim's own core always, others when built in.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sim/node_seam.hpp"

namespace sim {

std::span<const Implementation* const> implementations();
// Null when this build has no implementation of that name.
const Implementation* implementationByName(std::string_view name);
// "raftsim, ...": for messages that list the choices.
std::string implementationNames();
// The name a run's options stand for (null: raftsim's core).
std::string_view implementationName(const Implementation* implementation);

}  // namespace sim
