// Many seeds in parallel over cores. Seeds are generated as they are taken, results are
// folded into totals as they come (sums, and sorted lists where order matters), so the
// summary is the same whatever the number of jobs and memory stays flat however many
// seeds a sweep runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/world.hpp"
#include "tools/raftsim/flags.hpp"

namespace tools {

struct SeedResult {
    std::uint64_t seed = 0;
    sim::RunResult result;
};

// The seeds first, first + stride, ..., count of them (a shard of a range).
struct SeedSequence {
    std::uint64_t first = 1;
    std::uint64_t stride = 1;
    std::uint64_t count = 0;
    std::uint64_t at(std::uint64_t k) const { return first + k * stride; }
};

// Shard `index` of `total` of the range first..last: every total-th seed from first + index
// (sweep_summary.cpp).
SeedSequence shardOfRange(std::uint64_t first, std::uint64_t last, std::uint64_t index, std::uint64_t total);

struct SweepPlan {
    SeedSequence seeds;
    int jobs = 1;
    double timeBudgetS = 0;      // 0: no budget
    std::size_t maxReports = 10;  // failing seeds kept whole (for reports), the lowest ones
    bool failFast = false;       // stop starting seeds once one violated a property
    bool junit = false;          // keep one line per seed run, for JUnit XML
    const std::atomic<bool>* interrupt = nullptr;  // set from outside: stop starting seeds
};

struct SweepTotals {
    std::uint64_t seeds = 0, violations = 0, unfinished = 0, events = 0, leaders = 0, leaderChanges = 0;
    std::uint64_t committed = 0, timeouts = 0, restarts = 0, recovered = 0;
    std::uint64_t ok = 0, fail = 0, info = 0;
    // Leadership transfers (sim::RunStats), all 0 in runs without them.
    std::uint64_t transfersAsked = 0, transfersAccepted = 0, transfersCompleted = 0;
    // Membership changes (sim::RunStats), all 0 in runs without them: asked, accepted,
    // refused by raft::ChangeRefusal.
    std::uint64_t membershipAsked = 0, membershipAccepted = 0;
    std::array<std::uint64_t, 6> membershipRefused{};
    // Reads served without the log (thesis §6.4), 0 in runs that send gets through it.
    std::uint64_t readsServed = 0, readsOnLease = 0;
    // Client sessions (thesis §6.3; sim::RunStats), all 0 in runs without them.
    std::uint64_t sessionsRegistered = 0, sessionRetries = 0, sessionDuplicates = 0, sessionsExpired = 0;
    // Log compaction (sim::RunStats): snapshots taken, and installed from a leader; 0
    // in runs without snapshots.
    std::uint64_t snapshotsTaken = 0, snapshotsInstalled = 0;
    // Runs with a standing partial fault (sim/standing.hpp), those of them that held, and
    // the longest gap any had without a leader of its majority, in thousandths of an
    // election timeout; all 0 without them.
    std::uint64_t standingRuns = 0, standingHeld = 0;
    std::int64_t standingMaxGapMilliTimeouts = 0;
    // Client histories by the linearizability check's verdict; unchecked: a violation came
    // first, or --no-lin.
    std::uint64_t linOk = 0, linUnknown = 0, linViolated = 0, linUnchecked = 0;
    std::array<std::uint64_t, static_cast<int>(sim::Nemesis::Count_)> nemesis{};
    sim::NetworkStats net;
    std::vector<sim::Micros> recoveryUs;  // sorted when the sweep ends
    // Per recovered seed, each sorted when the sweep ends (tools/raftsim/recovery_bound.hpp):
    // the recovery in thousandths of an election timeout, and the elections it took.
    std::vector<std::int64_t> recoveryMilliTimeouts;
    std::vector<std::uint64_t> recoveryElections;
    std::map<std::string, std::uint64_t> byProperty;

    void add(const sim::RunResult& r);
    void sortRecoveries();  // the lists above, after adding
};

// Why a sweep stopped before its last seed.
enum class SweepStop { None, TimeBudget, FailFast, Interrupted };

// One seed in a JUnit report: held, violated (property, details when kept) or unfinished.
struct JunitCase {
    std::uint64_t seed = 0;
    std::string property;  // empty: held
    bool unfinished = false;
};

struct SweepOutcome {
    SweepTotals totals;
    std::vector<SeedResult> failures;  // the lowest plan.maxReports failing seeds, by seed
    std::vector<JunitCase> cases;      // every seed run, by seed (plan.junit only)
    std::uint64_t planned = 0;
    SweepStop stop = SweepStop::None;
    double timeBudgetS = 0;
};

// Runs the plan's seeds (or as many as the budget, --fail-fast or an interrupt allow:
// always a prefix of the sequence); `onDone` is called under a lock after each seed, for
// progress output.
SweepOutcome runSweep(const SweepPlan& plan, const SimFlags& flags,
                      const std::function<void(const SeedResult&, const SweepTotals&)>& onDone);

// The summary table (deterministic: no wall-clock figures).
std::string sweepSummary(const SweepOutcome& outcome);

// JUnit XML, one test case per seed.
std::string junitXml(const SweepOutcome& outcome, const SimFlags& flags);

}  // namespace tools
