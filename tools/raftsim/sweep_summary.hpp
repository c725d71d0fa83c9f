// A sweep's summary as data: written by `raftsim sweep --json-summary FILE`, read back and
// combined by `raftsim merge`. The shards i/n of a range, merged, give exactly the
// summary (text and JSON) of one process sweeping the whole range: every figure is a sum,
// a sorted list or a count by name, and nothing depends on timing or on --jobs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/raftsim/recovery_bound.hpp"
#include "tools/raftsim/sweep.hpp"

namespace tools {

// A failing seed as the sweep reported it.
struct ReportLine {
    std::uint64_t seed = 0;
    std::string property;
    std::string report;     // the report file written; empty: none (interrupted)
    std::string reproduce;  // the command that re-runs the seed
    friend bool operator==(const ReportLine&, const ReportLine&) = default;
};

struct SweepSummary {
    std::string producer;  // "raftsim VERSION"
    std::uint64_t first = 1, last = 1;             // the whole range A..B
    std::uint64_t shardIndex = 0, shardCount = 1;  // this shard of it
    std::string flags;      // SimFlags::repro(): the flags that differ from the defaults
    std::size_t maxReports = 10;
    SweepOutcome outcome;   // totals, planned, stop, time budget (failures: see reports)
    std::vector<ReportLine> reports;  // the lowest maxReports failing seeds, by seed
    RecoveryBound bound;    // --max-recovery-timeouts, --recovery-percentile (unset: none)
};

// The summary of a finished sweep; `reportsWritten` false: interrupted, none written.
SweepSummary summaryOf(const SweepOutcome& outcome, std::uint64_t first, std::uint64_t last,
                       std::uint64_t shardIndex, std::uint64_t shardCount, const SimFlags& flags,
                       std::size_t maxReports, const std::string& outDir, bool reportsWritten,
                       const RecoveryBound& bound = {});

// What the sweep prints after its table: each kept failing seed with its report and the
// commands that reproduce it, then how many more failed.
std::string reportLines(const SweepSummary& summary);

// The JSON document, 2-space indented, ending in a newline (deterministic: keys sorted).
std::string summaryJson(const SweepSummary& summary);

// Reads a summary written by summaryJson; throws std::runtime_error with one line naming
// `path` and the place (line and column, or the field) that is wrong.
SweepSummary readSummary(const std::string& path);

// The summaries of the shards 0..n-1 of one range (any order) as one: exactly what one
// process sweeping the whole range reports. Throws std::runtime_error (one line, naming
// the file) when they are not the n shards of one sweep.
SweepSummary mergeSummaries(const std::vector<SweepSummary>& shards, const std::vector<std::string>& paths);

// The exit code of a sweep: 130 interrupted, 1 a violation, 3 an unfinished seed, else 0.
int sweepExitCode(const SweepOutcome& outcome);
// The same, where a broken recovery bound is a violation too (exit 1).
int sweepExitCode(const SweepSummary& summary);

// The recovery bound's verdict line (tools/raftsim/recovery_bound.hpp); empty: no bound.
std::string boundLine(const SweepSummary& summary);

}  // namespace tools
