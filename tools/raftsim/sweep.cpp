#include "tools/raftsim/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "tools/raftsim/failure.hpp"

namespace tools {

std::vector<SeedResult> runSweep(const SweepPlan& plan, const SimFlags& flags,
                                 const std::function<void(const SeedResult&)>& onDone) {
    std::vector<SeedResult> results(plan.seeds.size());
    std::atomic<std::uint64_t> next{0};
    std::mutex mutex;
    // Wall time only decides when to stop taking seeds, never what a seed does.
    const auto start = std::chrono::steady_clock::now();
    auto overBudget = [&] {
        if (plan.timeBudgetS <= 0) return false;
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        return elapsed.count() >= plan.timeBudgetS;
    };
    auto worker = [&] {
        for (;;) {
            const std::uint64_t i = next.fetch_add(1);
            if (i >= plan.seeds.size() || overBudget()) return;
            SeedResult& r = results[i];
            r.seed = plan.seeds[i];
            sim::World world(flags.optionsFor(r.seed), r.seed);
            r.result = world.run();
            r.ran = true;
            const std::lock_guard<std::mutex> lock(mutex);
            onDone(r);
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < plan.jobs; ++j) threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads) t.join();
    std::erase_if(results, [](const SeedResult& r) { return !r.ran; });
    return results;
}

namespace {

struct Totals {
    std::uint64_t seeds = 0, violations = 0, events = 0, leaders = 0, leaderChanges = 0;
    std::uint64_t committed = 0, timeouts = 0, restarts = 0, recovered = 0;
    std::uint64_t ok = 0, fail = 0, info = 0;
    std::array<std::uint64_t, static_cast<int>(sim::Nemesis::Count_)> nemesis{};
    sim::NetworkStats net;
    std::vector<sim::Micros> recoveryUs;
    std::map<std::string, std::uint64_t> byProperty;
};

Totals total(const std::vector<SeedResult>& results) {
    Totals t;
    for (const SeedResult& r : results) {
        const sim::RunStats& s = r.result.stats;
        t.seeds += 1;
        t.events += s.events;
        t.leaders += s.leadersElected;
        t.leaderChanges += s.leaderChanges;
        t.committed += s.entriesCommitted;
        t.timeouts += s.timeouts;
        t.restarts += s.restarts;
        t.ok += s.clientOk;
        t.fail += s.clientFail;
        t.info += s.clientInfo;
        for (std::size_t k = 0; k < t.nemesis.size(); ++k) t.nemesis[k] += s.nemesis[k];
        t.net.sent += s.network.sent;
        t.net.dropped += s.network.dropped;
        t.net.partitioned += s.network.partitioned;
        t.net.duplicated += s.network.duplicated;
        t.net.reordered += s.network.reordered;
        t.net.clogged += s.network.clogged;
        if (s.livenessRecoveryUs >= 0) {
            t.recovered += 1;
            t.recoveryUs.push_back(s.livenessRecoveryUs);
        }
        if (r.result.violation) {
            t.violations += 1;
            t.byProperty[r.result.violation->property] += 1;
        }
    }
    std::sort(t.recoveryUs.begin(), t.recoveryUs.end());
    return t;
}

}  // namespace

std::string sweepSummary(const std::vector<SeedResult>& results) {
    const Totals t = total(results);
    std::string out = fmt::format("sweep summary: {} seeds, {} violated, {} held\n", t.seeds,
                                  t.violations, t.seeds - t.violations);
    auto row = [&out](std::string_view what, std::uint64_t n) {
        out += fmt::format("  {:<28}{:>14}\n", what, n);
    };
    row("events", t.events);
    row("leaders elected", t.leaders);
    row("leader changes", t.leaderChanges);
    row("entries committed", t.committed);
    row("election timeouts", t.timeouts);
    row("node restarts", t.restarts);
    for (std::size_t k = 0; k < t.nemesis.size(); ++k) {
        row(fmt::format("fault: {}", sim::name(static_cast<sim::Nemesis>(k))), t.nemesis[k]);
    }
    row("messages sent", t.net.sent);
    row("messages dropped", t.net.dropped);
    row("messages cut by partitions", t.net.partitioned);
    row("messages duplicated", t.net.duplicated);
    row("messages reordered", t.net.reordered);
    row("messages clogged", t.net.clogged);
    row("client ops ok", t.ok);
    row("client ops failed", t.fail);
    row("client ops unknown (info)", t.info);
    row("seeds that recovered", t.recovered);
    if (!t.recoveryUs.empty()) {
        out += fmt::format("  {:<28}{:>12.1f}ms\n", "median recovery after heal",
                           static_cast<double>(t.recoveryUs[t.recoveryUs.size() / 2]) / 1000);
    }
    for (const auto& [property, n] : t.byProperty) row(fmt::format("violated: {}", property), n);
    return out;
}

namespace {

std::string xmlEscape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

std::string junitXml(const std::vector<SeedResult>& results, const SimFlags& flags) {
    const Totals t = total(results);
    std::string out = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuite name=\"raftsim.sweep\" tests=\"{}\" failures=\"{}\">\n",
        t.seeds, t.violations);
    for (const SeedResult& r : results) {
        out += fmt::format("  <testcase classname=\"raftsim.sweep\" name=\"seed-{}\"", r.seed);
        if (!r.result.violation) {
            out += "/>\n";
            continue;
        }
        const sim::Violation& v = *r.result.violation;
        out += fmt::format(">\n    <failure message=\"{}\">{}&#10;{}</failure>\n  </testcase>\n",
                           xmlEscape(v.property), xmlEscape(v.details),
                           xmlEscape(reproCommand(r.seed, flags)));
    }
    out += "</testsuite>\n";
    return out;
}

}  // namespace tools
