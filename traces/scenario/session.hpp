// The explicit-step engine of a scenario: the model checker's Model (sim/mc/model.hpp)
// with one current State, the path taken so far (a model trace), and the links a
// partition or a one-way cut holds down. Steps that the model does not enable, or that
// leave the bounds, are refused with std::invalid_argument saying why.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/model.hpp"

namespace scenario {

struct ClusterSpec {
    int nodes = 3;
    int batch = mc::kMaxLog;  // entries in one AppendEntries
    bool emptyHeartbeats = false;
    bool checkQuorum = false;
    bool asyncWrites = false;  // writes complete on `disk-done N` (mc::Bounds::asyncWrites)
    bool preVote = false;        // mc::Bounds::preVote
    bool followerReads = false;  // mc::Bounds::followerReads
    bool transfers = false;      // `transfer` steps (mc::Bounds::transfers, as many as the model allows)
    bool reads = false;          // `read` steps (mc::Bounds::reads, as many as the model allows)
    bool membership = false;     // `change` steps (mc::Bounds::configChanges, as many as the model allows)
    int spares = 0;              // servers outside the configuration at the start (mc::Bounds::spares)
    bool snapshots = false;      // `snapshot` steps (mc::Bounds::snapshots, as many as the model allows)
    raft::BugSet bugs;
};

// Generous bounds: terms and logs as long as the model allows, crashes, drops and
// duplicates on, no symmetry and no dead-message dropping (every message stays in flight
// until a scenario delivers or drops it).
mc::Bounds boundsFor(const ClusterSpec& spec);
constexpr int kValues = 9;  // client values 1..9

class Session {
public:
    explicit Session(const mc::Bounds& bounds);

    const mc::Model& model() const { return model_; }
    const mc::State& state() const { return state_; }
    // Every server: the initial voters and the spares.
    int nodes() const { return model_.bounds().servers(); }

    // Takes `e` (its msg id from the current bag); returns what changed, one line each:
    // the event, the nodes it changed, the messages it sent, and a violation.
    std::vector<std::string> apply(const mc::Event& e);

    const std::optional<mc::TraceVerdict>& violation() const { return trace_.verdict; }
    const mc::ModelTrace& trace() const { return trace_; }

    // Links held down: a message from `from` to `to` is lost.
    bool blocked(const raft::Message& m) const { return cut_[m.from][m.to]; }
    void cut(int from, int to) { cut_[from][to] = true; }
    void heal();
    std::vector<std::pair<int, int>> cuts() const;

    // Where the session stands (state, path length, verdict, cut links), to come back
    // to later: the interactive stepper's `back`. A mark stays valid as the session goes
    // on (the model's tables only grow).
    struct Mark {
        mc::State state;
        std::size_t steps = 0;
        std::optional<mc::TraceVerdict> verdict;
        std::array<std::array<bool, mc::kMaxNodes>, mc::kMaxNodes> cut{};
    };
    Mark mark() const { return Mark{state_, trace_.steps.size(), trace_.verdict, cut_}; }
    void restore(const Mark& m);

private:
    mc::Model model_;
    mc::State state_;
    mc::ModelTrace trace_;
    std::array<std::array<bool, mc::kMaxNodes>, mc::kMaxNodes> cut_{};
};

}  // namespace scenario
