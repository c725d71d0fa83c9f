// Many seeds in parallel over cores. Results are gathered by seed, so the summary is the
// same whatever the number of jobs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/world.hpp"
#include "tools/raftsim/flags.hpp"

namespace tools {

struct SeedResult {
    std::uint64_t seed = 0;
    bool ran = false;
    sim::RunResult result;
};

struct SweepPlan {
    std::vector<std::uint64_t> seeds;
    int jobs = 1;
    double timeBudgetS = 0;  // 0: no budget
};

// Runs every seed of the plan (or as many as the budget allows); `onDone` is called
// under a lock after each seed, for progress output.
std::vector<SeedResult> runSweep(const SweepPlan& plan, const SimFlags& flags,
                                 const std::function<void(const SeedResult&)>& onDone);

// The summary table (deterministic: no wall-clock figures).
std::string sweepSummary(const std::vector<SeedResult>& results);

// JUnit XML, one test case per seed.
std::string junitXml(const std::vector<SeedResult>& results, const SimFlags& flags);

}  // namespace tools
