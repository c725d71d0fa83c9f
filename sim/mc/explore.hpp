// Exhaustive search of the model within its bounds: breadth-first (parallel by levels,
// shortest counterexample) or depth-first. The distinct-state count depends only on the
// bounds, never on the number of threads. Random walks over the same model look deeper
// than either can, but prove nothing when they pass.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "sim/mc/bounds.hpp"
#include "sim/mc/event.hpp"
#include "sim/mc/invariants.hpp"

namespace mc {

enum class SearchMode { Bfs, Dfs, Walk };

struct SearchOptions {
    SearchMode mode = SearchMode::Bfs;
    int jobs = 1;                      // BFS threads; DFS and walks use one
    std::uint64_t maxStates = 0;       // stop after this many distinct states (0: none)
    std::uint64_t capacity = 1 << 20;  // initial visited-table slots
    // Walks (sim/mc/walk.cpp): how many, how long at most, and the seed of their choices.
    std::uint64_t walks = 10'000;
    int walkDepth = 200;
    std::uint64_t seed = 1;
    // Set from outside (a signal handler): the search stops soon, incomplete.
    const std::atomic<bool>* interrupt = nullptr;
    bool interrupted() const { return interrupt != nullptr && interrupt->load(std::memory_order_relaxed); }
    // Called now and then with the figures so far (progress lines); may be empty.
    std::function<void(std::uint64_t states, std::uint64_t transitions, int depth)> progress;
};

// One step of a counterexample, with the message in full when there is one.
struct PathStep {
    Event event;             // event.msg is an id of a search that has ended: use message
    raft::Message message;   // deliver, drop, duplicate: the message in full
    std::string text;        // Model::describe
};

struct Counterexample {
    McViolation violation;
    std::vector<PathStep> steps;  // from the initial state
    std::size_t foundSteps = 0;   // walks: the length as the walk found it, before shortening
};

struct SearchResult {
    std::uint64_t states = 0;       // distinct, after symmetry reduction
    std::uint64_t transitions = 0;  // successors within the bounds
    int depth = 0;                  // BFS: levels; DFS: the deepest stack; walks: the longest path
    bool complete = false;          // every state within the bounds was explored (never for walks)
    bool sawLeader = false;         // "sometimes": some step elected a leader
    bool sawCommit = false;         // "sometimes": some step committed an entry
    std::uint64_t tableBytes = 0;
    std::uint64_t tableCapacity = 0;
    std::uint64_t trailBytes = 0;   // BFS: parent links, on disk (sim/mc/trail.hpp)
    std::uint32_t distinctNodes = 0;  // interned node values
    std::uint32_t distinctMessages = 0;
    std::optional<Counterexample> counterexample;
    // Reductions the bounds asked for that the audit refused, and why (sim/mc/audit.hpp).
    std::vector<std::string> refusals;
};

SearchResult search(const Bounds& bounds, const SearchOptions& options);

}  // namespace mc
