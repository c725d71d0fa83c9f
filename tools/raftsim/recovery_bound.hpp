// Bounded recovery over a sweep (issue 12): how many election timeouts the seeds took
// from the heal to a commit in a leader's own term (sim/recovery.hpp), as percentiles, and
// the bound a sweep may be held to (`--max-recovery-timeouts K`, `--recovery-percentile P`).
// A liveness phase of seconds lets a core that elects slowly pass seed by seed; the
// distribution over many seeds does not.
#pragma once

#include <optional>
#include <string>

#include "tools/raftsim/sweep.hpp"

namespace tools {

struct RecoveryBound {
    int percentile = 99;      // 1..100; 100 is the slowest seed
    double maxTimeouts = 0;   // 0: no bound
    bool set() const { return maxTimeouts > 0; }
    friend bool operator==(const RecoveryBound&, const RecoveryBound&) = default;
};

// The summary line: p50, p99 and max of the recovery in election timeouts and of the
// elections per recovery; empty when no seed recovered.
std::string recoveryLine(const SweepTotals& totals);

// The verdict on a sweep's bound: one line naming the percentile and its value.
struct RecoveryVerdict {
    bool held = true;
    std::string line;
};

// nullopt when no bound is set. A sweep in which no seed recovered breaks the bound: one
// was asked for and nothing shows that it holds.
std::optional<RecoveryVerdict> judgeRecovery(const SweepTotals& totals, const RecoveryBound& bound);

}  // namespace tools
