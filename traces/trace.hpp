// A trace: everything needed to re-execute one run and check that it did the same
// thing (traces/FORMAT.md). The same value for runs, sweeps, shrinks and replays.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "raftsim_version.hpp"
#include "sim/world.hpp"

namespace traces {

constexpr int kFormatVersion = 1;
// A run with log compaction (SimOptions::snapshotEvery, or a bug switch that lives in
// snapshots) or with membership changes (`options.membership`: spare hosts' nodes,
// `membership` events and `choices.membership`) is written as version 2; every other as
// version 1, byte for byte as before. Readers take both (FORMAT.md).
constexpr int kFormatVersion2 = 2;
inline int formatVersion(const sim::SimOptions& options) {
    return sim::snapshotsOf(options) != 0 || sim::membershipOn(options) ? kFormatVersion2 : kFormatVersion;
}
constexpr std::string_view kProducer = "raftsim " RAFTSIM_VERSION;  // meson.build: project(version)

struct Trace {
    int format = kFormatVersion;
    std::string producer{kProducer};
    std::uint64_t seed = 0;  // informational once the script is recorded
    std::string repro;       // the command that re-runs the seed, if there is one
    sim::SimOptions options;
    sim::Script script;                     // the schedule and the random choices
    std::optional<sim::Violation> verdict;  // nullopt: every property held
    // The minimal non-linearizable sub-history when `verdict` is linearizability (FORMAT.md
    // `linearizability`); none otherwise, and in traces written before it was recorded.
    std::optional<sim::lin::KeyWitness> witness;
    std::vector<sim::EventRecord> events;
};

// Runs the seed with every choice recorded.
// `result` (optional) gets the run's statistics and fingerprint.
Trace record(const sim::SimOptions& options, std::uint64_t seed, std::string repro = {},
             sim::RunResult* result = nullptr);

// Sees every event of a re-execution with the world as it stands after it (a stepper).
using WorldWatcher = std::function<void(const sim::EventRecord& event, const sim::World& world)>;

// Re-executes a trace's options and script. The result's script is what the run
// actually used (choices past its end read as 0 and are then recorded). `history`
// (optional) gets the clients' history as the run ended.
Trace rerun(const Trace& trace, const WorldWatcher& watch = {}, std::vector<sim::Operation>* history = nullptr);

// The witness a run's result carries: its linearizability check's, when Violated.
std::optional<sim::lin::KeyWitness> witnessOf(const sim::RunResult& result);

}  // namespace traces
