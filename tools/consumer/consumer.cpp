// A program that uses raftsim as a library: a 3-node World under swarm faults, stepped
// for a while, then run to its end. Built by tools/consumer/consumer_test.sh both with
// raftsim as a meson subproject and against an installed raftsim through pkg-config.
#include <cstdio>

#include "core/node.hpp"
#include "sim/world.hpp"

int main() {
    sim::SimOptions options;
    options.nodes = 3;
    options.safetyPhaseUs = 2'000'000;
    options.livenessPhaseUs = 2'000'000;
    options.faults = sim::swarmFaults(7);
    sim::World world(options, 7);
    for (int k = 0; k < 500 && world.step(); ++k) {}
    int leaders = 0;
    for (raft::NodeId id = 0; id < static_cast<raft::NodeId>(world.nodeCount()); ++id) {
        const raft::Node* n = world.node(id);
        if (n != nullptr && n->role() == raft::Role::Leader) leaders += 1;
    }
    const sim::RunResult r = world.run();
    std::printf("consumer: 3 nodes, %d leader(s) after 500 events; %llu events, %llu committed, %s\n",
                leaders, static_cast<unsigned long long>(r.stats.events),
                static_cast<unsigned long long>(r.stats.entriesCommitted),
                r.violation ? "VIOLATED" : "all properties held");
    return r.violation || r.stats.entriesCommitted == 0 ? 1 : 0;
}
