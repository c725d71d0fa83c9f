// `raftsim sweep`: many seeds in parallel; failing seeds come back as a JSON report and
// the command that reproduces them.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/failure.hpp"
#include "tools/raftsim/flags.hpp"
#include "tools/raftsim/report.hpp"
#include "tools/raftsim/sweep.hpp"

namespace tools {

namespace {

struct SweepArgs {
    std::string seeds;  // "A..B"
    std::uint64_t count = 1000;
    int jobs = 0;
    double timeBudgetS = 0;
    std::string junit;
    std::string out = "raftsim-failures";
    std::string shard;  // "i/n"
    SimFlags flags;
};

std::pair<std::uint64_t, std::uint64_t> parseRange(const std::string& text) {
    const auto dots = text.find("..");
    std::uint64_t a = 0, b = 0;
    std::size_t usedA = 0, usedB = 0;
    try {
        if (dots == std::string::npos) throw std::invalid_argument(text);
        a = std::stoull(text.substr(0, dots), &usedA);
        b = std::stoull(text.substr(dots + 2), &usedB);
    } catch (const std::exception&) {
        throw CLI::ValidationError("--seeds", fmt::format("'{}' is not a range A..B", text));
    }
    if (usedA != dots || usedB != text.size() - dots - 2 || a > b) {
        throw CLI::ValidationError("--seeds", fmt::format("'{}' is not a range A..B with A <= B", text));
    }
    return {a, b};
}

// The shard as i/n from --shard or the environment of common job runners.
std::pair<std::uint64_t, std::uint64_t> shardOf(const std::string& flag) {
    auto parse = [](const std::string& i, const std::string& n, const char* what) {
        try {
            const std::uint64_t index = std::stoull(i), total = std::stoull(n);
            if (total == 0 || index >= total) throw std::out_of_range(what);
            return std::make_pair(index, total);
        } catch (const std::exception&) {
            throw CLI::ValidationError(what, fmt::format("'{}/{}' is not a shard i/n with i < n", i, n));
        }
    };
    if (!flag.empty()) {
        const auto slash = flag.find('/');
        if (slash == std::string::npos) throw CLI::ValidationError("--shard", fmt::format("'{}' is not i/n", flag));
        return parse(flag.substr(0, slash), flag.substr(slash + 1), "--shard");
    }
    const char* gi = std::getenv("GTEST_SHARD_INDEX");
    const char* gn = std::getenv("GTEST_TOTAL_SHARDS");
    if (gi != nullptr && gn != nullptr) return parse(gi, gn, "GTEST_SHARD_INDEX");
    for (const char* var : {"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}) {
        const char* v = std::getenv(var);
        const char* n = std::getenv(std::string_view(var) == "SLURM_ARRAY_TASK_ID"
                                        ? "SLURM_ARRAY_TASK_COUNT"
                                        : "JOB_COMPLETION_COUNT");
        if (v != nullptr && n != nullptr) return parse(v, n, var);
    }
    return {0, 1};
}

std::vector<std::uint64_t> seedList(const SweepArgs& a, bool rangeGiven) {
    std::uint64_t first = 1, last = a.count;
    if (rangeGiven) std::tie(first, last) = parseRange(a.seeds);
    const auto [index, total] = shardOf(a.shard);
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t s = first; s <= last && s >= first; ++s) {
        if ((s - first) % total == index) seeds.push_back(s);
    }
    return seeds;
}

void reportFailures(const std::vector<SeedResult>& results, const SweepArgs& a) {
    int shown = 0;
    for (const SeedResult& r : results) {
        if (!r.result.violation) continue;
        std::filesystem::create_directories(a.out);
        const std::string path = fmt::format("{}/seed-{}.json", a.out, r.seed);
        writeTrace(path, r.seed, a.flags);
        if (shown++ < 20) {
            fmt::print("seed {}: {} ({})\n  reproduce: {}\n  replay: {}\n", r.seed,
                       r.result.violation->property, path, reproCommand(r.seed, a.flags),
                       replayCommand(path));
        }
    }
    if (shown > 20) fmt::print("... and {} more failing seeds in {}\n", shown - 20, a.out);
}

}  // namespace

void addSweep(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("sweep", "run many seeds in parallel and summarize");
    auto a = std::make_shared<SweepArgs>();
    auto* seedsOpt = cmd->add_option("--seeds", a->seeds, "seed range A..B (inclusive)");
    cmd->add_option("--count", a->count, "run seeds 1..N")->excludes(seedsOpt)->check(CLI::Range(1ull, 1ull << 40));
    cmd->add_option("--jobs", a->jobs, "parallel jobs (default: all cores)")->check(CLI::Range(1, 256));
    cmd->add_option("--time-budget", a->timeBudgetS, "stop starting seeds after this many wall seconds")
        ->check(CLI::Range(0.0, 1e7));
    cmd->add_option("--junit", a->junit, "write JUnit XML here");
    cmd->add_option("--out", a->out, "directory for failing seeds' reports");
    cmd->add_option("--shard", a->shard, "run shard i of n (i/n; also from JOB_COMPLETION_INDEX, "
                                          "SLURM_ARRAY_TASK_ID, GTEST_SHARD_INDEX)");
    a->flags.add(*cmd);
    cmd->callback([a, seedsOpt, &code] {
        SweepPlan plan;
        plan.seeds = seedList(*a, seedsOpt->count() > 0);
        plan.jobs = a->jobs > 0 ? a->jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        plan.timeBudgetS = a->timeBudgetS;
        (void)a->flags.optionsFor(1);  // bad flags fail before any work
        const bool progress = showProgress();
        std::size_t done = 0, violated = 0;
        const auto start = std::chrono::steady_clock::now();
        auto seconds = [&start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
        auto results = runSweep(plan, a->flags, [&](const SeedResult& r) {
            done += 1;
            violated += r.result.violation ? 1 : 0;
            if (progress && (done % 16 == 0 || done == plan.seeds.size())) {
                fmt::print(stderr, "\r  {}/{} seeds, {:.0f} seeds/s, {} violations ", done,
                           plan.seeds.size(), static_cast<double>(done) / seconds(), violated);
            }
        });
        if (progress) fmt::print(stderr, "\n");
        fmt::print("{}", sweepSummary(results));
        reportFailures(results, *a);
        if (!a->junit.empty()) {
            std::ofstream out(a->junit);
            if (!out) throw std::runtime_error(fmt::format("{}: cannot write", a->junit));
            out << junitXml(results, a->flags);
        }
        fmt::print(stderr, "wall: {:.2f}s, {:.0f} seeds/s on {} jobs\n", seconds(),
                   static_cast<double>(results.size()) / std::max(seconds(), 1e-9), plan.jobs);
        code = violated > 0 ? kViolated : kHeld;
    });
}

}  // namespace tools
