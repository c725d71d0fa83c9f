// Pieces the breadth-first and depth-first searches share.
#pragma once

#include <cstdint>

#include "sim/mc/event.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/fptable.hpp"
#include "sim/mc/model.hpp"

namespace mc {

// A violating step: from the state with fingerprint `parentFp`, `event` broke
// `violation`.
struct Found {
    std::uint64_t parentFp = 0;
    Event event;
    McViolation violation;
};

// The path through the states `fps` (fingerprints, from the initial state to the
// violating step's source), then the violating step, each re-executed so every message
// is shown in full.
Counterexample rebuild(Model& model, const std::vector<std::uint64_t>& fps, const Found& found);

// Growth policy: the table is kept between 76% and 90% full (an insert past 95% waits
// for the growth), so a visited state costs 8 / 0.76 < 10.6 bytes at most once the
// table has grown; linear probing stays short at these loads.
inline std::uint64_t capacityFor(std::uint64_t entries) { return entries * 100 / 76 + 16; }
constexpr double kGrowAt = 0.90;  // grow between levels beyond this load

SearchResult bfs(Model& model, FpTable& table, const SearchOptions& options);
SearchResult dfs(Model& model, FpTable& table, const SearchOptions& options);
SearchResult walk(Model& model, FpTable& table, const SearchOptions& options);

}  // namespace mc
