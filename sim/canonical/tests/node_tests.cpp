// One canonical/raft node and small clusters through the seam: the library starts,
// elects, replicates and applies under raftsim's world, deterministically.
#include <doctest/doctest.h>

#include "core/node.hpp"
#include "sim/canonical/canonical.hpp"
#include "sim/world.hpp"

using namespace sim;

namespace {

SimOptions calm(int nodes) {
    SimOptions o;
    o.nodes = nodes;
    o.safetyPhaseUs = 3'000'000;
    o.livenessPhaseUs = 2'000'000;
    o.implementation = &canonical::implementation();
    return o;
}

}  // namespace

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical: a pristine node bootstraps the same configuration entry as every other") {
    const raft::Config config{.id = 1, .clusterSize = 3};
    canonical::CanonicalNode node(config, raft::DurableState{}, canonical::Flaw::None);
    CHECK(node.view().lastIndex == 0);
    raft::Actions out;
    node.step(raft::Start{}, out);
    const NodeView v = node.view();
    CHECK(v.id == 1);
    CHECK(v.currentTerm == 1);
    CHECK(v.lastIndex == 1);
    CHECK(v.commitIndex == 0);  // not before the bootstrap entry is durable here
    REQUIRE(out.size() == 3);
    CHECK(std::get<raft::PersistHardState>(out[0]).currentTerm == 1);
    const auto& write = std::get<raft::PersistEntries>(out[1]);
    CHECK(write.firstIndex == 1);
    REQUIRE(write.entries.size() == 1);
    CHECK(write.entries[0].kind == raft::EntryKind::Noop);
    CHECK(std::get<raft::ArmTimer>(out[2]).timer == raft::Timer::Heartbeat);
    // Another node's bootstrap entry is the same entry.
    canonical::CanonicalNode other(raft::Config{.id = 2, .clusterSize = 3}, raft::DurableState{},
                                   canonical::Flaw::None);
    raft::Actions otherOut;
    other.step(raft::Start{}, otherOut);
    CHECK(std::get<raft::PersistEntries>(otherOut[1]).entries == write.entries);
    // Once both writes are durable, entry 1 is committed and applied.
    out.clear();
    node.step(raft::Persisted{1, 0, 0}, out);
    node.step(raft::Persisted{1, 1, 1}, out);
    CHECK(node.view().commitIndex == 1);
    REQUIRE(out.size() == 1);
    CHECK(std::get<raft::Apply>(out[0]).firstIndex == 1);
    CHECK(std::get<raft::Apply>(out[0]).lastIndex == 1);
}

TEST_CASE("canonical: a calm cluster elects a leader and commits the clients' commands") {
    for (int nodes = 1; nodes <= 5; ++nodes) {
        CAPTURE(nodes);
        World world(calm(nodes), 7);
        const RunResult r = world.run();
        CHECK(!r.violation);
        CHECK(!r.eventCapReached);
        CHECK(r.stats.leadersElected >= 1);
        CHECK(r.stats.entriesCommitted > 10);
        CHECK(r.stats.clientOk > 10);
        CHECK(world.node(0) == nullptr);  // not raftsim's core
    }
}

TEST_CASE("canonical: the same seed gives the same run") {
    SimOptions o = calm(3);
    o.faults = swarmFaults(11);
    const RunResult a = World(o, 11).run();
    const RunResult b = World(o, 11).run();
    CHECK(a.eventHash == b.eventHash);
    CHECK(a.stats.events == b.stats.events);
}

TEST_SUITE_END();
