// Text output of `raftsim check` and `raftsim bench check`.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "sim/mc/explore.hpp"

namespace tools {

// The figures of a search: states, transitions, depth, rate, bytes per state.
std::string checkFigures(const mc::SearchResult& r, double seconds, int jobs);

// The counterexample as a numbered event list.
std::string counterexampleText(const mc::Counterexample& cex);

// A progress callback that redraws one line on stderr at most once a second (wall
// clock for display only), or an empty one when progress should stay quiet.
std::function<void(std::uint64_t, std::uint64_t, int)> progressLine(bool enabled);
void endProgressLine(bool enabled);

// Runs the search and times it.
struct TimedSearch {
    mc::SearchResult result;
    double seconds = 0;
};
TimedSearch timedSearch(const mc::Bounds& bounds, const mc::SearchOptions& options);

}  // namespace tools
