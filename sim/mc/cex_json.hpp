// A model-checker trace ("engine": "model" in traces/FORMAT.md) as JSON and back, and
// the re-execution of its path through the model. `raftsim check --out` writes one for
// a counterexample; `raftsim replay` re-executes it and compares step by step.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "raftsim_version.hpp"
#include "core/node.hpp"
#include "sim/mc/bounds.hpp"
#include "sim/mc/explore.hpp"
#include "sim/mc/model.hpp"

namespace mc {

using TraceJson = nlohmann::ordered_json;

constexpr int kTraceFormat = 1;  // shared with the simulator's traces

// One node after a step, compactly: what a reader of Raft's figure 2 wants to see.
struct NodeRecord {
    bool down = false;  // crashed: the rest is what it will restart from
    raft::Role role = raft::Role::Follower;
    raft::Term currentTerm = 0;
    raft::NodeId votedFor = raft::kNoNode;
    raft::Index commitIndex = 0;
    std::vector<raft::Term> log;  // the term of each entry after the snapshot, the first first
    // With membership changes or snapshots in the bounds (Bounds::changesConfigOrLog):
    // the node's configuration, and where its snapshot ends (0: none).
    bool shown = false;
    raft::NodeSet voters = 0;
    raft::NodeSet learners = 0;
    raft::Index snapshotIndex = 0;
    raft::Term snapshotTerm = 0;

    friend bool operator==(const NodeRecord&, const NodeRecord&) = default;
};

// The state after a step: every node, and how many messages are in flight (copies counted).
struct StepRecord {
    std::vector<NodeRecord> nodes;
    std::uint32_t inFlight = 0;

    friend bool operator==(const StepRecord&, const StepRecord&) = default;
};

struct TraceVerdict {
    std::string property;  // e.g. "leader-completeness"
    std::size_t step = 0;  // 1-based: the step after which it broke
    std::string details;

    friend bool operator==(const TraceVerdict&, const TraceVerdict&) = default;
};

// A path through the model from its initial state, with the state after every step.
struct ModelTrace {
    int format = kTraceFormat;
    std::string producer = "raftsim " RAFTSIM_VERSION;  // meson.build: project(version)
    std::string repro;  // the `raftsim check` command that finds it
    Bounds bounds;
    std::optional<TraceVerdict> verdict;  // nullopt: the path breaks no property
    std::vector<PathStep> steps;          // messages in full; event.msg unset
    std::vector<StepRecord> records;      // records[k]: the state after steps[k]
    // Optional, for people: captions[k] is said before steps[k] (a scenario's comment
    // above the command that took it); empty or shorter than steps where there is none.
    std::vector<std::string> captions;
};
using LoadedPath = ModelTrace;  // the name the first counterexample files used

// A malformed document. The message names the field: "field 'events[2].n': missing".
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The record of one node (`down`: crashed; `withConfig`: NodeRecord::shown) and of every
// node of a state.
NodeRecord nodeRecord(const raft::Node& node, bool down, bool withConfig = false);
StepRecord snapshot(const Model& model, const State& s);

// The step as `Model::describe` prints it, from its fields alone.
std::string describe(const PathStep& step);

// Same event (the message compared in full; the text is for people and ignored).
bool sameEvent(const PathStep& a, const PathStep& b);

// Re-executes `path.steps` on a fresh model. The result holds the steps that were
// enabled, the states after them and the verdict; it ends early at a violation or at
// a step that is not enabled or leaves the bounds (`stopped` then says which and why).
// `onStep` (optional) sees the state after each step, e.g. to show messages in flight.
struct Rerun {
    ModelTrace trace;
    std::string stopped;
};
using StepObserver = std::function<void(std::size_t index, const Model& model, const State& s)>;
Rerun rerun(const ModelTrace& path, const StepObserver& onStep = {});

// The trace of a counterexample found by a search.
ModelTrace record(const Bounds& bounds, const Counterexample& cex, std::string repro = {});

TraceJson toJson(const ModelTrace& trace);
TraceJson toJson(const Bounds& bounds, const Counterexample& cex);
// One event of `trace.events`: the step, and the state after it when `record` is given.
TraceJson toJson(const PathStep& step, std::size_t index, const StepRecord* record);

// Throws FormatError on a malformed document.
ModelTrace fromJson(const TraceJson& j);
ModelTrace fromJson(const nlohmann::json& j);

// The violation the path ends in, or nullopt if it ran to its end without one. Throws
// std::runtime_error if an event is not enabled or leaves the bounds.
std::optional<McViolation> replayPath(const ModelTrace& path);

}  // namespace mc
