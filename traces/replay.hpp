// Replay: re-execute a trace and compare, event by event, with what it recorded.
#pragma once

#include <string>

#include "traces/trace.hpp"

namespace traces {

struct Comparison {
    bool identical = true;
    std::string report;  // "identical ..." or the first divergence, both sides shown
    // The property the re-execution violated; empty: none (all held, or it diverged first).
    std::string violated;
    bool unfinished = false;  // the re-execution stopped at its event cap, violating nothing
    // The re-execution's linearizability witness (its own check of the history).
    std::optional<sim::lin::KeyWitness> witness;
};

// Compares a recorded trace with its re-execution: events first, then the verdict, then
// the linearizability witness (when the recorded trace has one: older ones do not).
Comparison compare(const Trace& recorded, const Trace& replayed);

// Re-executes `recorded` and compares every event as it happens, stopping at the first
// that differs: a bad or hostile trace costs no more than its own length, and nothing of
// the re-execution is kept. The same report as compare(recorded, rerun(recorded)).
Comparison replay(const Trace& recorded, const WorldWatcher& watch = {});

std::string verdictText(const std::optional<sim::Violation>& verdict);

}  // namespace traces
