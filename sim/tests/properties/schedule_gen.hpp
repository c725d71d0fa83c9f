// rapidcheck generators for cluster configurations and explicit fault schedules: a
// Script (sim/script.hpp) of timed faults and client requests, plus each node's timer
// choices. rapidcheck shrinks the lists and the numbers in them, not an opaque seed.
#pragma once

#include <rapidcheck.h>

#include <iosfwd>
#include <optional>
#include <string>

#include "sim/world.hpp"

namespace props {

// One generated run: the cluster and the script it follows.
struct Case {
    sim::SimOptions options;
    sim::Script script;
};

// Cases for a cluster with `bugs` switched on. Network choices are left empty (minimum
// latency, no random loss): every fault comes from the schedule.
rc::Gen<Case> genCase(raft::BugSet bugs = {});

// Runs the case (following its script) and returns the first violated property.
std::optional<sim::Violation> runCase(const Case& c);

// The schedule as text: the cluster, then one line per fault and request.
std::string describe(const Case& c);

// How rapidcheck prints a counterexample (found by argument-dependent lookup).
void showValue(const Case& c, std::ostream& os);

}  // namespace props
