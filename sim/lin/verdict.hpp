// What a linearizability check concludes, and the name of the property it checks.
#pragma once

#include <cstdint>
#include <string_view>

namespace sim::lin {

// The property a non-linearizable client history violates (sim::Violation::property).
inline constexpr std::string_view kLinearizability = "linearizability";

// Ok: a linearization exists. Violated: none exists. Unknown: the search ran out of its
// budget before deciding; never reported as Ok.
enum class Verdict : std::uint8_t { Ok, Violated, Unknown };

std::string_view name(Verdict verdict);

}  // namespace sim::lin
