// Flags of `raftsim check` and `raftsim bench check`: a preset, then bounds that
// override it, then how to search.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sim/mc/bounds.hpp"
#include "sim/mc/explore.hpp"

namespace tools {

struct CheckFlags {
    std::string preset;
    mc::Bounds bounds;  // the values typed; applied over the preset when given
    std::vector<std::string> bugs;
    bool noSymmetry = false;
    bool keepDead = false;
    std::string mode = "bfs";
    std::uint64_t walks = 10'000;
    int walkDepth = 200;
    std::uint64_t seed = 1;
    int jobs = 1;
    std::uint64_t maxStates = 0;
    std::uint64_t capacity = 1 << 20;
    std::string progress = "auto";  // auto: on a terminal and not under CI
    // The Raft to explore: raftsim (the core's optimized model) or another implementation
    // through the node seam (sim/seamcheck/). throughSeam (hidden, for tests) sends
    // raftsim's core through the seam explorer too.
    std::string impl = "raftsim";
    bool throughSeam = false;

    bool usesSeam() const { return throughSeam || impl != "raftsim"; }

    bool showsProgress() const;
    // "--mode bfs", or for walks "--mode walk --seed S --walks N --max-depth D".
    std::string modeFlags() const;

    void add(CLI::App& cmd, const std::string& defaultPreset);
    // The bounds to check; throws CLI::ValidationError on bad values.
    mc::Bounds resolve() const;
    mc::SearchOptions searchOptions() const;

private:
    struct Given {
        CLI::Option* nodes;
        CLI::Option* maxTerm;
        CLI::Option* maxLog;
        CLI::Option* maxCopies;
        CLI::Option* maxBatch;
        CLI::Option* maxCrashes;
        CLI::Option* values;
        CLI::Option* drop;
        CLI::Option* duplicate;
        CLI::Option* fifo;
        CLI::Option* emptyHeartbeats;
        CLI::Option* checkQuorum;
        CLI::Option* asyncWrites;
        CLI::Option* preVote;
        CLI::Option* followerReads;
        CLI::Option* transfers;
        CLI::Option* reads;
        CLI::Option* spares;
        CLI::Option* configChanges;
        CLI::Option* snapshots;
    } given_{};
};

}  // namespace tools
