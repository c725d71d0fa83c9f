// Command-line flags shared by the subcommands that run simulations.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/options.hpp"
#include "traces/scenario/start.hpp"

namespace tools {

// "N" or "A..B" (1 <= A <= B <= 9); false if it is neither.
bool parseNodes(const std::string& text, int& lo, int& hi);

struct SimFlags {
    std::string nodes = "5";  // a size, or a range the seed picks from (sim::swarmNodes)
    double timeS = 10.0;      // safety phase, virtual seconds
    double livenessS = 5.0;   // liveness phase, virtual seconds
    std::string faults = "swarm";  // swarm | none | all
    double drop = -1, duplicate = -1, reorder = -1;  // override the swarm, as fractions
    int drift = -1;  // the drift nemesis at this bound in percent (0: off); -1: as the faults say
    int leaseDriftBound = -1;  // the drift leases allow for; -1: the drift nemesis's bound
    std::vector<std::string> bugs;
    int clients = 3;
    std::string fromScenario;  // a scenario file: the run starts from its disks
    std::shared_ptr<const scenario::Start> start;  // read once, when the flag is parsed
    std::uint64_t maxEvents = 0;  // 0: SimOptions' cap
    std::string preVote = "off";   // PreVote: off, on, or swarm (the seed decides)
    std::string transfer = "off";  // leadership transfers: off, on, or swarm
    std::string reads = "log";     // how gets are served: log, index, follower, or swarm
    std::string sessions = "off";  // client sessions: off, on, or swarm
    std::string snapshots = "off";  // log compaction: off, on (every 32 entries), or swarm
    std::string membership = "off";  // membership changes: off, on, or swarm
    std::string standing = "off";  // a standing partial fault in the liveness phase: off, on, or swarm
    CLI::Option* preVoteOption = nullptr;  // to tell an explicit --pre-vote off from the default
    std::string impl = "raftsim";  // the Raft under test: built in, or process:COMMAND
    bool noLin = false;           // skip the linearizability check (to measure its cost)

    void add(CLI::App& app);
    // The options for one seed; throws CLI::ValidationError on bad values.
    sim::SimOptions optionsFor(std::uint64_t seed) const;
    // The flags that differ from the defaults, as they would be typed again.
    std::string repro() const;

private:
    void applyStanding(std::uint64_t seed, sim::SimOptions& o) const;  // --standing-fault
};

}  // namespace tools
