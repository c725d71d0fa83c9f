// A broken property, with where and when it broke and the values involved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace sim {

// A RAFT_ASSERT inside the core (or on what a node asked of the world) failed during a
// step: a finding of the run, reported with its seed and trace like any other property.
inline constexpr std::string_view kCoreInvariant = "core-invariant";

struct Violation {
    std::string property;  // e.g. "election-safety"
    std::uint64_t event = 0;
    raft::Micros timeUs = 0;
    std::string details;   // the nodes and values, one line
};

}  // namespace sim
