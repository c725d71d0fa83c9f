#include "tools/raftsim/bench_bugs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/bugs.hpp"
#include "sim/recovery.hpp"
#include "sim/world.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/flags.hpp"
#include "tools/raftsim/parse.hpp"

namespace tools {

namespace {

struct BugBenchArgs {
    int starts = 5;             // starting seeds per switch; the figures are medians
    double capS = 60;           // give up on one start after this many wall seconds
    int jobs = 0;               // 0: all cores
    std::uint64_t stride = 1'000'000;  // start k is 1 + k * stride
    std::vector<std::string> only;     // switches to measure (empty: all)
    std::string nodes = "1..5";        // the main job's cluster sizes (tools/sweep.sh)
};

struct Hunt {
    bool caught = false;
    std::uint64_t seeds = 0;  // seeds run up to and including the first violating one
    double seconds = 0;
    std::string property;
};

// Runs seeds start, start+1, ... in parallel until one violates. The lowest violating
// seed is the answer, so the seed count does not depend on the number of jobs.
Hunt hunt(const SimFlags& flags, std::uint64_t start, const BugBenchArgs& a, int jobs) {
    const auto began = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    };
    std::atomic<std::uint64_t> next{start};
    std::atomic<std::uint64_t> found{~std::uint64_t{0}};
    std::atomic<bool> timedOut{false};
    std::mutex mutex;
    std::map<std::uint64_t, std::string> properties;
    auto worker = [&] {
        for (;;) {
            const std::uint64_t seed = next.fetch_add(1);
            if (seed >= found.load()) return;
            if (elapsed() > a.capS) {
                timedOut = true;
                return;
            }
            sim::World world(flags.optionsFor(seed), seed);
            const sim::RunResult r = world.run();
            if (!r.violation) continue;
            const std::lock_guard<std::mutex> lock(mutex);
            properties[seed] = r.violation->property;
            if (seed < found.load()) found = seed;
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads) t.join();
    Hunt h;
    h.seconds = elapsed();
    if (found.load() == ~std::uint64_t{0} || (timedOut && properties.empty())) return h;
    h.caught = true;
    h.seeds = found.load() - start + 1;
    h.property = properties[found.load()];
    return h;
}

template <typename T>
T median(std::vector<T> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct Row {
    std::string_view name;
    int caught = 0;
    std::uint64_t seeds = 0;
    double seconds = 0;
    std::string properties;
};

Row measure(const raft::BugInfo& info, const BugBenchArgs& a, int jobs) {
    SimFlags flags;
    flags.nodes = a.nodes;
    flags.bugs = {std::string(info.name)};
    Row row{.name = info.name};
    std::vector<std::uint64_t> seeds;
    std::vector<double> seconds;
    std::map<std::string, int> properties;
    for (int k = 0; k < a.starts; ++k) {
        const Hunt h = hunt(flags, 1 + static_cast<std::uint64_t>(k) * a.stride, a, jobs);
        // A start that ran out of time counts at the cap, so the median stays honest.
        seeds.push_back(h.caught ? h.seeds : ~std::uint64_t{0});
        seconds.push_back(h.caught ? h.seconds : a.capS);
        if (!h.caught) continue;
        row.caught += 1;
        properties[h.property] += 1;
    }
    row.seeds = median(seeds);
    row.seconds = median(seconds);
    for (const auto& [property, n] : properties) {
        if (!row.properties.empty()) row.properties += ", ";
        row.properties += n == a.starts ? property : fmt::format("{} ({}/{})", property, n, a.starts);
    }
    return row;
}

int benchBugs(const BugBenchArgs& a) {
    const int jobs = a.jobs > 0 ? a.jobs : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    fmt::print("bench bugs: the main job's sweep (raftsim sweep --nodes {} --bug NAME), {} starting seeds "
               "per switch (1 + k*{}), {} jobs, cap {}s per start; medians\n",
               a.nodes, a.starts, a.stride, jobs, a.capS);
    fmt::print("{:<26} {:>8} {:>10} {:>9}  {}\n", "switch", "caught", "seeds", "seconds", "property");
    std::vector<double> seconds;
    bool allCaught = true;
    bool listed = false;  // a switch no single seed shows was listed, not hunted
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (!a.only.empty() && std::find(a.only.begin(), a.only.end(), info.name) == a.only.end()) continue;
        if (sim::slowsRecoveryOnly(info.bug)) {  // no single seed shows it: not a hunt
            fmt::print("{:<26} {:>8} {:>10} {:>9}  {}\n", info.name, "-", "-", "-",
                       "no seed alone: a sweep's recovery bound (--max-recovery-timeouts)");
            listed = true;
            continue;
        }
        const Row row = measure(info, a, jobs);
        const std::string seedText = row.caught * 2 > a.starts ? fmt::format("{}", row.seeds) : "-";
        fmt::print("{:<26} {:>5}/{:<2} {:>10} {:>9.2f}  {}\n", row.name, row.caught, a.starts,
                   seedText, row.seconds, row.properties.empty() ? "not caught" : row.properties);
        std::fflush(stdout);
        seconds.push_back(row.seconds);
        allCaught = allCaught && row.caught == a.starts;
    }
    if (seconds.empty()) return listed ? kHeld : kBadInput;
    const double worst = *std::max_element(seconds.begin(), seconds.end());
    fmt::print("median switch {:.2f}s, slowest switch {:.2f}s, every start caught: {}\n",
               median(seconds), worst, allCaught ? "yes" : "no");
    return allCaught ? kHeld : kViolated;
}

}  // namespace

void addBenchBugs(CLI::App& bench, int& code) {
    auto a = std::make_shared<BugBenchArgs>();
    auto* cmd = bench.add_subcommand("bugs", "mutation score: seeds and seconds until each bug is caught");
    cmd->add_option("--starts", a->starts, "starting seeds per switch (medians)")->check(CLI::Range(1, 1000));
    cmd->add_option("--cap", a->capS, "wall time before a start gives up (30s, 2m; a bare number is seconds)")
        ->transform(durationSeconds(0.1, 1e6));
    cmd->add_option("--jobs", a->jobs, "parallel jobs (default: all cores)")->check(CLI::Range(1, 256));
    cmd->add_option("--bug", a->only, "measure only these switches");
    cmd->add_option("--nodes", a->nodes, "cluster sizes, N or A..B (default: the main job's 1..5)")
        ->check([](const std::string& text) {
            int lo = 0, hi = 0;
            return parseNodes(text, lo, hi) ? std::string() : fmt::format("'{}' is not N or A..B in 1..9", text);
        });
    cmd->callback([a, &code] {
        for (const std::string& name : a->only) {
            if (!raft::bugByName(name)) throw CLI::ValidationError("--bug", fmt::format("unknown bug '{}'", name));
        }
        code = benchBugs(*a);
    });
}

}  // namespace tools
