// A sweep of canonical/raft in process, with the options `raftsim sweep --nodes A..B`
// gives each seed (faults and cluster knobs chosen by the seed).
#pragma once

#include <fmt/format.h>

#include <map>
#include <string>

#include "sim/world.hpp"

namespace canonical_tests {

// Harsh: every fault kind at once, as `--faults all` gives.
inline sim::SimOptions sweepOptions(std::uint64_t seed, const sim::Implementation& impl, int lo,
                                    int hi, bool harsh = false) {
    sim::SimOptions o;
    o.nodes = sim::swarmNodes(seed, lo, hi);
    o.faults = sim::swarmFaults(seed);
    sim::swarmCluster(seed, o);
    if (harsh) {
        o.faults.dropPpm = 50'000;
        o.faults.duplicatePpm = 20'000;
        o.faults.reorderPpm = 50'000;
        for (int k = 0; k < static_cast<int>(sim::Nemesis::Count_); ++k) {
            o.faults.enable(static_cast<sim::Nemesis>(k));
        }
    }
    o.implementation = &impl;
    return o;
}

struct SweepResult {
    int held = 0;
    // "property" or "property@nodes" (when byNodes) -> seeds
    std::map<std::string, int> violated;
};

inline SweepResult sweep(const sim::Implementation& impl, std::uint64_t count, int lo, int hi,
                         bool byNodes = false, bool harsh = false) {
    SweepResult result;
    for (std::uint64_t seed = 1; seed <= count; ++seed) {
        const sim::SimOptions o = sweepOptions(seed, impl, lo, hi, harsh);
        const sim::RunResult r = sim::World(o, seed).run();
        if (!r.violation) {
            result.held += 1;
            continue;
        }
        const std::string key = byNodes ? fmt::format("{}@{}", r.violation->property, o.nodes)
                                        : r.violation->property;
        result.violated[key] += 1;
    }
    return result;
}

}  // namespace canonical_tests
