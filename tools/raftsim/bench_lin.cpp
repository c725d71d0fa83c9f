#include "tools/raftsim/bench_lin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "sim/lin/check.hpp"
#include "sim/lin/kv_model.hpp"
#include "sim/rng.hpp"
#include "sim/world.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/parse.hpp"

namespace tools {

namespace {

struct LinBenchArgs {
    std::uint64_t ops = 10'000;
    int keys = 4;
    int spread = 4;            // an op's interval reaches this many neighbours either side
    std::uint32_t infoPercent = 3;  // default sweeps see about 2.7% of operations end in info
    std::uint64_t seed = 1;
    double simTimeS = 150;     // the simulated history's safety phase
};

// A sequential execution of the KV model stretched into overlapping intervals (op i
// takes effect at 1000*(i+1)); info ops take effect or not. Linearizable by construction.
std::vector<sim::Operation> synthetic(const LinBenchArgs& a) {
    sim::Rng rng(a.seed);
    std::vector<sim::lin::Value> regs(static_cast<std::size_t>(a.keys), 0);
    std::vector<sim::Operation> h;
    for (std::uint64_t i = 0; i < a.ops; ++i) {
        sim::Operation op;
        op.client = static_cast<int>(i % 16);
        op.seq = static_cast<std::uint32_t>(i + 1);
        op.command.op = static_cast<sim::KvOp>(rng.below(3));
        op.command.key = static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(a.keys)));
        op.command.value = static_cast<std::uint32_t>(rng.below(100));
        op.command.expected = static_cast<std::uint32_t>(rng.below(100));
        const auto point = static_cast<sim::Micros>(1000 * (i + 1));
        op.invokeUs = std::max<sim::Micros>(0, point - 1000 * rng.between(0, a.spread) - rng.between(0, 999));
        op.completeUs = point + 1000 * rng.between(0, a.spread) + rng.between(0, 999);
        const bool info = rng.below(100) < a.infoPercent;
        op.outcome = info ? sim::Outcome::Info : sim::Outcome::Ok;
        if (info && rng.below(2) == 0) {
            h.push_back(op);  // never took effect
            continue;
        }
        sim::lin::Value& reg = regs[op.command.key];
        sim::Operation known = op;
        known.outcome = sim::Outcome::Ok;
        for (const std::uint64_t r : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{reg}}) {
            known.result = r;
            if (const auto next = sim::lin::step(reg, known)) {
                reg = *next;
                break;
            }
        }
        op.result = info ? 0 : known.result;
        h.push_back(op);
    }
    return h;
}

template <typename F>
double seconds(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string figures(const sim::lin::Result& r) {
    std::string out = fmt::format("verdict {}, {} ops on {} keys, {} states, {} steps", sim::lin::name(r.verdict),
                                  r.operations, r.keys, r.states, r.steps);
    if (r.witness) {
        out += fmt::format(", witness of {} ops ({}, {} search steps)", r.witness->witness.ops.size(),
                           r.witness->witness.minimal ? "minimal" : "not minimal", r.witness->witness.steps);
    }
    return out;
}

int benchLin(const LinBenchArgs& a) {
    std::vector<sim::Operation> h = synthetic(a);
    sim::lin::Result r;
    double wall = seconds([&] { r = sim::lin::check(h); });
    fmt::print("lin synthetic: ops={} keys={} spread={} info={}% -> {:.3f}s, {}\n", a.ops, a.keys, a.spread,
               a.infoPercent, wall, figures(r));
    const bool okFirst = r.verdict != sim::lin::Verdict::Violated;  // linearizable by construction
    // The same history with one read in the middle made stale: it returns the value of a
    // put of its key that completed long before (40 to 200 operations earlier), a value
    // that nothing else writes after it.
    for (std::size_t i = h.size() / 2; i < h.size(); ++i) {
        if (h[i].outcome != sim::Outcome::Ok || h[i].command.op != sim::KvOp::Get) continue;
        std::optional<std::uint32_t> stale;
        for (std::size_t j = i - 40; j > i - 200 && j < h.size() && !stale; --j) {
            const sim::Operation& w = h[j];
            // A value no other operation on the key writes since (none of unknown outcome at
            // all): they could explain the read.
            bool explained = false;
            for (std::size_t x = 0; x < h.size() && !explained; ++x) {
                const sim::Operation& o = h[x];
                explained = x != j && o.command.key == w.command.key && o.command.op != sim::KvOp::Get &&
                            o.command.value == w.command.value && (x > j || o.outcome != sim::Outcome::Ok);
            }
            if (w.outcome == sim::Outcome::Ok && w.command.op == sim::KvOp::Put && w.command.key == h[i].command.key &&
                w.command.value != h[i].result && !explained) {
                stale = w.command.value;
            }
        }
        if (!stale) continue;
        const std::uint64_t was = h[i].result;
        h[i].result = *stale;
        fmt::print("lin synthetic: {} (key {}) now reads {} instead of {}\n", sim::lin::describe(h[i]),
                   h[i].command.key, *stale, was);
        break;
    }
    wall = seconds([&] { r = sim::lin::check(h); });
    fmt::print("lin synthetic, one read made stale: -> {:.3f}s, {}\n", wall, figures(r));
    if (r.witness) fmt::print("  {}\n", sim::lin::describe(*r.witness));

    sim::SimOptions o;
    o.nodes = 5;
    o.safetyPhaseUs = static_cast<sim::Micros>(a.simTimeS * 1e6);
    o.faults = sim::swarmFaults(a.seed);
    sim::swarmCluster(a.seed, o);
    o.checkLinearizability = false;
    sim::World world(o, a.seed);
    sim::RunResult run;
    const double runWall = seconds([&] { run = world.run(); });
    const std::vector<sim::Operation>& sh = world.clients().history();
    wall = seconds([&] { r = sim::lin::check(sh); });
    fmt::print("lin simulated: seed {} nodes 5 swarm faults {:.0f}s virtual, ops={} (info {}) -> check {:.3f}s "
               "(the run {:.3f}s), {}\n",
               a.seed, a.simTimeS + static_cast<double>(o.livenessPhaseUs) / 1e6, sh.size(), run.stats.clientInfo,
               wall, runWall, figures(r));
    return okFirst && r.verdict != sim::lin::Verdict::Violated ? kHeld : kViolated;
}

}  // namespace

void addBenchLin(CLI::App& bench, int& code) {
    auto a = std::make_shared<LinBenchArgs>();
    auto* cmd = bench.add_subcommand("lin", "the linearizability check on long histories (synthetic and simulated)");
    cmd->add_option("--ops", a->ops, "operations of the synthetic history")->check(CLI::Range(1ull, 10'000'000ull));
    cmd->add_option("--keys", a->keys, "keys")->check(CLI::Range(1, 256));
    cmd->add_option("--spread", a->spread, "how many neighbours an operation overlaps either side")
        ->check(CLI::Range(0, 64));
    cmd->add_option("--info", a->infoPercent, "percent of operations with an unknown outcome")
        ->check(CLI::Range(0, 100));
    cmd->add_option("--seed", a->seed, "seed of the histories")->check(unsignedInteger());
    cmd->add_option("--time", a->simTimeS, "the simulated run's safety phase (150s; a bare number is seconds)")
        ->transform(durationSeconds(0.001, 1e6));
    cmd->callback([a, &code] { code = benchLin(*a); });
}

}  // namespace tools
