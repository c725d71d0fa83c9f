// Pieces the breadth-first and depth-first searches share.
#pragma once

#include <cstdint>

#include "sim/mc/event.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/fptable.hpp"
#include "sim/mc/model.hpp"

namespace mc {

// A violating step: from the state with fingerprint `parentFp`, `event` broke
// `violation`. (A fingerprint, not a slot: the table may grow before the rebuild.)
struct Found {
    std::uint64_t parentFp = 0;
    Event event;
    McViolation violation;
};

// The path from the initial state along the table's parent links, then the violating
// step, each re-executed so every message is shown in full.
Counterexample rebuild(Model& model, const FpTable& table, const Found& found);

// Growth policy: the capacity that leaves the table 55% full with `entries` in it.
inline std::uint64_t capacityFor(std::uint64_t entries) { return entries * 100 / 55 + 16; }
constexpr double kGrowAt = 0.80;  // grow between levels beyond this load

SearchResult bfs(Model& model, FpTable& table, const SearchOptions& options);
SearchResult dfs(Model& model, FpTable& table, const SearchOptions& options);

}  // namespace mc
