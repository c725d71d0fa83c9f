// Where a scenario leaves a cluster, as a start for the timed simulator
// (`raftsim sweep --from-scenario FILE`): its size and switches, and every node's disk.
#pragma once

#include <string>
#include <vector>

#include "core/bugs.hpp"
#include "core/io.hpp"

namespace scenario {

struct Start {
    int nodes = 0;
    raft::BugSet bugs;
    bool checkQuorum = false;
    std::vector<raft::DurableState> disks;  // node 0 first
};

// Runs the file's steps (its expectations are not compared) and returns where they left
// the disks. Throws std::runtime_error with one line `FILE[:LINE]: what` for a file that
// is malformed, cannot be run, or ends in a violation.
Start startOf(const std::string& path);

}  // namespace scenario
