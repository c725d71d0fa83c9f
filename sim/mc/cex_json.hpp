// A counterexample as JSON (sim/mc/COUNTEREXAMPLE.md documents the form), and back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/mc/bounds.hpp"
#include "sim/mc/explore.hpp"

namespace mc {

nlohmann::json toJson(const Bounds& bounds, const Counterexample& cex);

// The parts of a counterexample file a replay needs.
struct LoadedPath {
    Bounds bounds;
    std::string property;
    std::vector<PathStep> steps;  // events with messages in full; msg ids unset
};

// Throws std::runtime_error (or nlohmann::json::exception) on a malformed file.
LoadedPath fromJson(const nlohmann::json& j);

// Re-executes the path on a fresh model: the violation it ends in, or nullopt if the
// path ran to its end without one. Throws std::runtime_error if an event is not enabled.
std::optional<McViolation> replayPath(const LoadedPath& path);

}  // namespace mc
