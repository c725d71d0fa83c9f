// The check inside the simulator: every run's history is checked when it ends; a
// tampered history makes the run report `linearizability` with its witness.
#include <doctest/doctest.h>

#include "sim/world.hpp"

using namespace sim;

namespace {

SimOptions quiet() {
    SimOptions o;
    o.nodes = 3;
    o.safetyPhaseUs = 2'000'000;
    o.livenessPhaseUs = 1'000'000;
    return o;
}

}  // namespace

TEST_CASE("world: a correct run's history is checked and linearizable") {
    const RunResult r = World(quiet(), 3).run();
    REQUIRE_FALSE(r.violation);
    REQUIRE(r.lin);
    CHECK(r.lin->verdict == lin::Verdict::Ok);
    CHECK(r.lin->operations > 50);
    CHECK(r.lin->keys == 3);
    CHECK(r.lin->states >= r.stats.clientOk);
}

TEST_CASE("world: under swarm faults the correct core's histories are linearizable") {
    std::uint64_t info = 0;
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        SimOptions o = quiet();
        o.nodes = 5;
        o.faults = swarmFaults(seed);
        for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) o.faults.enable(static_cast<Nemesis>(k));
        const RunResult r = World(o, seed).run();
        INFO("seed " << seed << ": " << (r.violation ? r.violation->details : std::string()));
        REQUIRE_FALSE(r.violation);
        REQUIRE(r.lin);
        CHECK(r.lin->verdict == lin::Verdict::Ok);
        info += r.stats.clientInfo;
    }
    CHECK(info > 0);  // unknown outcomes were part of what was checked
}

TEST_CASE("world: a client that records a wrong result makes the run violate linearizability") {
    World world(quiet(), 3);
    while (world.step()) {
    }
    REQUIRE_FALSE(world.violation());
    // The first completed get now claims a value no one wrote.
    std::vector<Operation>& h = world.historyForTesting();
    const auto it = std::find_if(h.begin(), h.end(), [](const Operation& op) {
        return op.outcome == Outcome::Ok && op.command.op == KvOp::Get;
    });
    REQUIRE(it != h.end());
    it->result = 4'000'000;
    const RunResult r = world.finish();
    REQUIRE(r.violation);
    INFO(r.violation->details);
    CHECK(r.violation->property == name(Property::Linearizability));
    CHECK(r.violation->event == r.stats.events);
    CHECK(r.violation->details.find(fmt::format("c{}#{} get -> 4000000", it->client, it->seq)) != std::string::npos);
    REQUIRE(world.violation());
    CHECK(world.violation()->property == "linearizability");
    REQUIRE(r.lin);
    CHECK(r.lin->verdict == lin::Verdict::Violated);
}

TEST_CASE("world: a stale result is caught with the writes around it") {
    World world(quiet(), 5);
    while (world.step()) {
    }
    // A get that read a value, made to read the value before the last write it saw.
    std::vector<Operation>& h = world.historyForTesting();
    std::optional<std::size_t> tampered;
    for (std::size_t i = 0; i < h.size() && !tampered; ++i) {
        if (h[i].outcome != Outcome::Ok || h[i].command.op != KvOp::Get) continue;
        // The last completed put of its key before it, and the one before that.
        std::vector<std::size_t> puts;
        for (std::size_t j = 0; j < i; ++j) {
            if (h[j].outcome == Outcome::Ok && h[j].command.op == KvOp::Put &&
                h[j].command.key == h[i].command.key && h[j].completeUs < h[i].invokeUs &&
                h[j].result == 1) {
                puts.push_back(j);
            }
        }
        if (puts.size() < 2) continue;
        const Operation& older = h[puts[puts.size() - 2]];
        const Operation& newer = h[puts.back()];
        if (newer.invokeUs <= older.completeUs || older.command.value == newer.command.value ||
            h[i].result != newer.command.value) {
            continue;
        }
        h[i].result = older.command.value;
        tampered = i;
    }
    REQUIRE(tampered);
    const RunResult r = world.finish();
    REQUIRE(r.violation);
    CHECK(r.violation->property == "linearizability");
    MESSAGE(r.violation->details);
    REQUIRE(r.lin->witness);
    CHECK(r.lin->witness->witness.minimal);
    CHECK(r.lin->witness->witness.ops.size() >= 2);
    CHECK(r.lin->witness->witness.ops.size() <= 4);
}

TEST_CASE("world: the check can be turned off; a run with another violation is not checked") {
    SimOptions o = quiet();
    o.checkLinearizability = false;
    World off(o, 3);
    while (off.step()) {
    }
    off.historyForTesting().at(0).result = 4'000'000;
    off.historyForTesting().at(0).outcome = Outcome::Ok;
    off.historyForTesting().at(0).command.op = KvOp::Get;
    const RunResult r = off.finish();
    CHECK_FALSE(r.violation);
    CHECK_FALSE(r.lin);
}
