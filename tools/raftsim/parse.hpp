// Strict parsing of command-line values: whole text or nothing, no silent wrap-around,
// no NaN. Each helper is a CLI11 validator, so a refusal is one line naming the flag and
// the value (exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tools {

// The whole text as an unsigned decimal integer; nullopt for "", "-1", "12x", overflow.
std::optional<std::uint64_t> parseU64(std::string_view text);

// A duration in seconds: a number with a unit (10us, 250ms, 60s, 5m, 1h) or a bare
// number, read in seconds (what every duration flag meant before units). Finite only.
std::optional<double> parseSeconds(std::string_view text);

// Validators. `durationSeconds` rewrites the value as plain seconds for the option's
// double; the others only check.
CLI::Validator durationSeconds(double minS, double maxS);
CLI::Validator finiteRange(double min, double max);
CLI::Validator unsignedInteger();

}  // namespace tools
