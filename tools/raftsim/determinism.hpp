// `sweep --check-determinism`: a sample of the sweep's seeds runs a second time in the
// same process; the event-stream hash and the verdict must come out the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/world.hpp"
#include "tools/raftsim/flags.hpp"

namespace tools {

// What one run of a seed came to: enough to tell two runs apart.
struct RunFingerprint {
    std::uint64_t seed = 0;
    std::uint64_t eventHash = 0;
    std::string verdict;  // "held", "unfinished" or the violated property
};

struct DeterminismMismatch {
    RunFingerprint first, second;
};

// Every 10th seed of a sweep, by its position in the sequence (the first always).
constexpr std::uint64_t kDeterminismSampleEvery = 10;
inline bool inDeterminismSample(std::uint64_t position) { return position % kDeterminismSampleEvery == 0; }

RunFingerprint fingerprintOf(std::uint64_t seed, const sim::RunResult& r);

// The mismatch between two runs of one seed, if any.
std::optional<DeterminismMismatch> compareRuns(const RunFingerprint& first, const RunFingerprint& second);

// Runs each recorded seed again and returns the runs that differ, by seed.
std::vector<DeterminismMismatch> recheckDeterminism(std::vector<RunFingerprint> recorded, const SimFlags& flags);

// One line per mismatch and a closing line; empty when there is none.
std::string determinismReport(const std::vector<DeterminismMismatch>& mismatches, std::size_t rechecked);

}  // namespace tools
