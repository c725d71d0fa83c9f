// What a linearizability check concludes.
#pragma once

#include <cstdint>
#include <string_view>

namespace sim::lin {

// A non-linearizable client history violates sim::Property::Linearizability
// (sim/property.hpp).

// Ok: a linearization exists. Violated: none exists. Unknown: the search ran out of its
// budget before deciding; never reported as Ok.
enum class Verdict : std::uint8_t { Ok, Violated, Unknown };

std::string_view name(Verdict verdict);

}  // namespace sim::lin
