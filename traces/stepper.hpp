// The stepper (`raftsim replay FILE --steps`): a replay that prints every event and,
// after it, every node's role, currentTerm, votedFor, commitIndex and log, plus the
// messages in flight for model-checker traces. For people learning Raft. The node the
// event happened to is marked with '>'.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "sim/mc/cex_json.hpp"
#include "traces/trace.hpp"

namespace traces {

// "n0 leader    t2 vote=0 commit=1 log=[1,2]"; a run of 3 or more entries of one term
// is written `2x5` (five entries of term 2).
std::string nodeLine(raft::NodeId id, const mc::NodeRecord& node);

// For traces::rerun: prints each simulator event and the nodes after it, and the
// operations of the recorded linearizability witness (if any) invoked or completed there.
WorldWatcher simStepper(std::ostream& out, const std::optional<sim::lin::KeyWitness>& witness = std::nullopt);
// After the last event: the witness the re-execution's check found, one operation a line.
void printWitness(std::ostream& out, const sim::lin::KeyWitness& witness);

// Prints the model's initial state; then, as mc::rerun's observer, each step of `path`,
// the nodes after it and the messages in flight.
void printInitial(std::ostream& out, const mc::ModelTrace& path);
mc::StepObserver modelStepper(std::ostream& out, const mc::ModelTrace& path);

}  // namespace traces
