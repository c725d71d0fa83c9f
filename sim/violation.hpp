// A broken property, with where and when it broke and the values involved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace sim {

struct Violation {
    std::string property;  // a name from the catalogue (sim/property.hpp)
    std::uint64_t event = 0;
    raft::Micros timeUs = 0;
    std::string details;   // the nodes and values, one line
};

}  // namespace sim
