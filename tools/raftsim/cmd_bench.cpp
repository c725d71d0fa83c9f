// `raftsim bench`: the workloads of the peer benchmarks (shared/peers), run inside the
// whole simulator with every check on. Figures go to stdout; nothing here is a test.
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>

#include "sim/world.hpp"
#include "tools/raftsim/bench_bugs.hpp"
#include "tools/raftsim/bench_lin.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

namespace {

struct BenchArgs {
    int nodes = 3;
    std::uint64_t entries = 100'000;
    int batch = 64;
    int rounds = 1'000;
    int electionNodes = 5;
    std::uint64_t seed = 1;
};

// The peers' timings: one-way latency 15 ms, disk append 10 ms, heartbeat 100 ms,
// election timeout 1000 ms; no faults, no clients.
sim::SimOptions peerTimings(int nodes) {
    sim::SimOptions o;
    o.nodes = nodes;
    o.safetyPhaseUs = 1'000'000'000'000;
    o.livenessPhaseUs = 0;
    o.electionTimeoutMinUs = 1'000'000;
    o.electionTimeoutMaxUs = 2'000'000;
    o.heartbeatIntervalUs = 100'000;
    o.maxEvents = ~std::uint64_t{0};
    o.faults = sim::FaultConfig{};
    o.faults.latencyMinUs = o.faults.latencyMaxUs = 15'000;
    o.faults.diskLatencyMinUs = o.faults.diskLatencyMaxUs = 10'000;
    o.workload.clients = 0;
    return o;
}

double peakMemoryMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Steps until `done` holds; false if the world stops first.
template <typename Pred>
bool runUntil(sim::World& world, Pred done) {
    while (!done()) {
        if (!world.step()) return false;
    }
    return true;
}

bool isLeader(const sim::World& world, raft::NodeId id) {
    const raft::Node* n = world.node(id);
    return n != nullptr && n->role() == raft::Role::Leader;
}

int replicate(const BenchArgs& a) {
    const auto start = std::chrono::steady_clock::now();
    sim::World world(peerTimings(a.nodes), a.seed);
    world.inject(0, raft::Timeout{raft::Timer::Election});
    if (!runUntil(world, [&] { return isLeader(world, 0); })) return kViolated;
    std::uint64_t proposed = 0;
    while (proposed < a.entries) {
        const auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(a.batch), a.entries - proposed);
        raft::ProposeBatch batch;
        for (std::uint64_t k = 0; k < n; ++k) {
            ++proposed;
            batch.entries.push_back(raft::Entry{.data = proposed});  // an 8-byte command
        }
        world.inject(0, batch);
        const raft::Index target = world.node(0)->log().lastIndex();
        const bool ok = runUntil(world, [&] {
            for (raft::NodeId id = 0; id < a.nodes; ++id) {
                if (world.applied(id) < target) return false;
            }
            return true;
        });
        if (!ok) break;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const sim::RunStats& s = world.stats();
    fmt::print("replicate: nodes={} entries={} batch={} -> {:.3f}s wall, {:.1f}s virtual, {} events, "
               "{:.2f}M events/s, {:.0f} entries/s, peak memory {:.1f} MB, verdict {}\n",
               a.nodes, proposed, a.batch, wall, static_cast<double>(world.now()) / 1e6, s.events,
               static_cast<double>(s.events) / wall / 1e6, static_cast<double>(proposed) / wall,
               peakMemoryMb(), world.violation() ? world.violation()->property : "held");
    return world.violation() ? kViolated : kHeld;
}

// Each round deposes the leader (its followers' answers stop reaching it) until it
// steps down, then runs until another leader wins.
int elections(const BenchArgs& a) {
    const auto start = std::chrono::steady_clock::now();
    sim::SimOptions o = peerTimings(a.electionNodes);
    o.checkQuorum = true;  // how a deposed leader learns it lost its followers
    sim::World world(o, a.seed);
    const int nodes = a.electionNodes;
    world.inject(0, raft::Timeout{raft::Timer::Election});
    auto leader = [&]() -> raft::NodeId {
        for (raft::NodeId id = 0; id < nodes; ++id) {
            if (isLeader(world, id)) return id;
        }
        return raft::kNoNode;
    };
    if (!runUntil(world, [&] { return leader() != raft::kNoNode; })) return kViolated;
    int rounds = 0;
    for (; rounds < a.rounds; ++rounds) {
        const raft::NodeId old = leader();
        for (raft::NodeId id = 0; id < nodes; ++id) {
            if (id != old) world.setLink(id, old, false);
        }
        if (!runUntil(world, [&] { return !isLeader(world, old); })) break;
        world.setLink(0, 0, true);
        if (!runUntil(world, [&] { return leader() != raft::kNoNode; })) break;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const sim::RunStats& s = world.stats();
    fmt::print("elections: nodes={} rounds={} -> {:.3f}s wall, {:.1f}s virtual, {} events, "
               "{:.2f}M events/s, {} leaders elected, peak memory {:.1f} MB, verdict {}\n",
               nodes, rounds, wall, static_cast<double>(world.now()) / 1e6, s.events,
               static_cast<double>(s.events) / wall / 1e6, s.leadersElected, peakMemoryMb(),
               world.violation() ? world.violation()->property : "held");
    return world.violation() ? kViolated : kHeld;
}

}  // namespace

void addBench(CLI::App& app, int& code) {
    auto* bench = app.add_subcommand("bench", "benchmarks (figures, not tests)");
    bench->require_subcommand(1);
    auto a = std::make_shared<BenchArgs>();
    auto* rep = bench->add_subcommand("replicate", "replicate entries in batches (peer workload)");
    rep->add_option("--nodes", a->nodes)->check(CLI::Range(1, 9));
    rep->add_option("--entries", a->entries)->check(CLI::Range(1ull, 100'000'000ull));
    rep->add_option("--batch", a->batch)->check(CLI::Range(1, 100'000));
    rep->callback([a, &code] { code = replicate(*a); });
    auto* el = bench->add_subcommand("elections", "depose the leader, elect another (peer workload)");
    el->add_option("--nodes", a->electionNodes)->check(CLI::Range(2, 9));
    el->add_option("--rounds", a->rounds)->check(CLI::Range(1, 10'000'000));
    el->callback([a, &code] { code = elections(*a); });
    addBenchCheck(*bench, code);
    addBenchBugs(*bench, code);
    addBenchLin(*bench, code);
}

}  // namespace tools
