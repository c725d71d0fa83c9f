// `raftsim sweep`: many seeds in parallel; failing seeds come back as a JSON report and
// the command that reproduces them.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/determinism.hpp"
#include "tools/raftsim/failure.hpp"
#include "tools/raftsim/flags.hpp"
#include "tools/raftsim/interrupt.hpp"
#include "tools/raftsim/parse.hpp"
#include "tools/raftsim/report.hpp"
#include "tools/raftsim/sweep.hpp"
#include "tools/raftsim/sweep_summary.hpp"
#include "traces/files.hpp"

namespace tools {

namespace {

struct SweepArgs {
    std::string seeds;  // "A..B"
    std::uint64_t count = 1000;
    int jobs = 0;
    double timeBudgetS = 0;
    std::size_t maxReports = 10;
    bool failFast = false;
    bool checkDeterminism = false;
    std::string junit;
    std::string out = "raftsim-failures";
    std::string shard;  // "i/n"
    std::string jsonSummary;
    RecoveryBound bound;
    SimFlags flags;
};

std::pair<std::uint64_t, std::uint64_t> parseRange(const std::string& text) {
    const auto dots = text.find("..");
    const auto a = dots == std::string::npos ? std::nullopt : parseU64(std::string_view(text).substr(0, dots));
    const auto b = dots == std::string::npos ? std::nullopt : parseU64(std::string_view(text).substr(dots + 2));
    if (!a || !b) throw CLI::ValidationError("--seeds", fmt::format("'{}' is not a range A..B", text));
    if (*a > *b) throw CLI::ValidationError("--seeds", fmt::format("'{}' is not a range A..B with A <= B", text));
    return {*a, *b};
}

// "i/n" with i < n, both whole unsigned numbers.
std::pair<std::uint64_t, std::uint64_t> parseShard(std::string_view i, std::string_view n, const char* what) {
    const auto index = parseU64(i), total = parseU64(n);
    if (!index || !total || *total == 0 || *index >= *total) {
        throw CLI::ValidationError(what, fmt::format("'{}/{}' is not a shard i/n with i < n", i, n));
    }
    return {*index, *total};
}

// The shard as i/n from --shard or the environment of common job runners.
std::pair<std::uint64_t, std::uint64_t> shardOf(const std::string& flag) {
    if (!flag.empty()) {
        const auto slash = flag.find('/');
        if (slash == std::string::npos) throw CLI::ValidationError("--shard", fmt::format("'{}' is not i/n", flag));
        return parseShard(std::string_view(flag).substr(0, slash), std::string_view(flag).substr(slash + 1),
                          "--shard");
    }
    const char* gi = std::getenv("GTEST_SHARD_INDEX");
    const char* gn = std::getenv("GTEST_TOTAL_SHARDS");
    if (gi != nullptr && gn != nullptr) return parseShard(gi, gn, "GTEST_SHARD_INDEX");
    const char* ji = std::getenv("JOB_COMPLETION_INDEX");
    const char* jn = std::getenv("JOB_COMPLETION_COUNT");
    if (ji != nullptr && jn != nullptr) return parseShard(ji, jn, "JOB_COMPLETION_INDEX");
    const char* si = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* sn = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (si != nullptr && sn != nullptr) {
        // An array numbered from SLURM_ARRAY_TASK_MIN (--array=1-4): task ids count from there.
        const char* smin = std::getenv("SLURM_ARRAY_TASK_MIN");
        const auto id = parseU64(si), low = smin != nullptr ? parseU64(smin) : std::optional<std::uint64_t>(0);
        if (id && low && *low <= *id) return parseShard(std::to_string(*id - *low), sn, "SLURM_ARRAY_TASK_ID");
        return parseShard(si, sn, "SLURM_ARRAY_TASK_ID");
    }
    return {0, 1};
}

// The range A..B and this process's shard i/n of it.
struct SweepRange {
    std::uint64_t first = 1, last = 1, index = 0, total = 1;
};

SweepRange rangeOf(const SweepArgs& a, bool rangeGiven) {
    SweepRange r{.first = 1, .last = a.count};
    if (rangeGiven) std::tie(r.first, r.last) = parseRange(a.seeds);
    std::tie(r.index, r.total) = shardOf(a.shard);
    return r;
}

// Writes the kept failing seeds' reports (not when interrupted).
void writeReports(const SweepOutcome& o, const SweepArgs& a) {
    for (const SeedResult& r : o.failures) {
        std::filesystem::create_directories(a.out);
        writeTrace(fmt::format("{}/seed-{}.json", a.out, r.seed), r.seed, a.flags);
    }
}

int runSweepCommand(const SweepArgs& a, bool rangeGiven) {
    const SweepRange range = rangeOf(a, rangeGiven);
    SweepPlan plan;
    // The seeds of this shard of the range, generated as they are taken, never listed.
    plan.seeds = shardOfRange(range.first, range.last, range.index, range.total);
    plan.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    plan.timeBudgetS = a.timeBudgetS;
    plan.maxReports = a.maxReports;
    plan.failFast = a.failFast;
    plan.junit = !a.junit.empty();
    (void)a.flags.optionsFor(1);  // bad flags fail before any work
    if (a.bound.set() && a.flags.livenessS == 0) {
        throw CLI::ValidationError("--max-recovery-timeouts", "needs a liveness phase, but --liveness is 0");
    }
    plan.interrupt = &catchInterrupts();
    const bool progress = showProgress();
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&start] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // --check-determinism: the sampled seeds' first runs, to run again after the sweep.
    std::vector<RunFingerprint> sampled;
    const SweepOutcome o = runSweep(plan, a.flags, [&](const SeedResult& r, const SweepTotals& t) {
        if (a.checkDeterminism && inDeterminismSample((r.seed - plan.seeds.first) / plan.seeds.stride)) {
            sampled.push_back(fingerprintOf(r.seed, r.result));
        }
        const std::uint64_t done = t.seeds + 1;
        if (progress && (done % 16 == 0 || done == plan.seeds.count)) {
            fmt::print(stderr, "\r  {}/{} seeds, {:.0f} seeds/s, {} violations ", done, plan.seeds.count,
                       static_cast<double>(done) / seconds(), t.violations);
        }
    });
    if (progress) fmt::print(stderr, "\n");
    fmt::print("{}", sweepSummary(o));
    const bool reports = o.stop != SweepStop::Interrupted;
    if (reports) writeReports(o, a);
    const SweepSummary summary =
        summaryOf(o, range.first, range.last, range.index, range.total, a.flags, a.maxReports, a.out, reports, a.bound);
    fmt::print("{}{}", reportLines(summary), boundLine(summary));
    bool deterministic = true;
    if (a.checkDeterminism && o.stop != SweepStop::Interrupted) {
        const std::vector<DeterminismMismatch> mismatches = recheckDeterminism(sampled, a.flags);
        deterministic = mismatches.empty();
        if (deterministic) {
            fmt::print("determinism: {} seeds run twice, same event hashes and verdicts\n", sampled.size());
        } else {
            fmt::print("{}", determinismReport(mismatches, sampled.size()));
        }
    }
    std::fflush(stdout);
    if (!a.junit.empty()) traces::writeTextFile(a.junit, junitXml(o, a.flags));
    if (!a.jsonSummary.empty()) traces::writeTextFile(a.jsonSummary, summaryJson(summary));
    fmt::print(stderr, "wall: {:.2f}s, {:.0f} seeds/s on {} jobs\n", seconds(),
               static_cast<double>(o.totals.seeds) / std::max(seconds(), 1e-9), plan.jobs);
    return deterministic ? sweepExitCode(summary) : kViolated;
}

}  // namespace

void addSweep(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("sweep", "run many seeds in parallel and summarize");
    auto a = std::make_shared<SweepArgs>();
    auto* seedsOpt = cmd->add_option("--seeds", a->seeds, "seed range A..B (inclusive)");
    cmd->add_option("--count", a->count, "run seeds 1..N")
        ->excludes(seedsOpt)
        ->check(unsignedInteger())
        ->check(CLI::Range(1ull, 1ull << 40));
    cmd->add_option("--jobs", a->jobs, "parallel jobs (default: all cores)")->check(CLI::Range(1, 256));
    cmd->add_option("--time-budget", a->timeBudgetS,
                    "stop starting seeds after this much wall time (60s, 5m, 1h; a bare number is seconds)")
        ->transform(durationSeconds(0.0, 1e7));
    cmd->add_option("--max-reports", a->maxReports, "write reports for the first N failing seeds (the rest are counted)")
        ->check(unsignedInteger())
        ->check(CLI::Range(std::size_t{0}, std::size_t{1'000'000}));
    cmd->add_flag("--fail-fast", a->failFast, "stop starting seeds at the first violation");
    cmd->add_flag("--check-determinism", a->checkDeterminism,
                  "run every 10th seed (the first at least) a second time and fail (exit 1) if its event "
                  "hash or verdict differs");
    cmd->add_option("--junit", a->junit, "write JUnit XML here");
    cmd->add_option("--out", a->out, "directory for failing seeds' reports");
    cmd->add_option("--json-summary", a->jsonSummary,
                    "write the summary as JSON here (shards' summaries combine with `raftsim merge`)");
    cmd->add_option("--shard", a->shard, "run shard i of n (i/n; also from JOB_COMPLETION_INDEX, "
                                          "SLURM_ARRAY_TASK_ID, GTEST_SHARD_INDEX)");
    auto* bound = cmd->add_option("--max-recovery-timeouts", a->bound.maxTimeouts,
                                  "fail (exit 1) when the sweep's recovery after the heal, in election timeouts "
                                  "(the shortest), is above this at its 99th percentile (--recovery-percentile)")
                      ->check(finiteRange(0.001, 1e6));
    cmd->add_option("--recovery-percentile", a->bound.percentile,
                    "the percentile --max-recovery-timeouts bounds (1..100, default 99; 100: the slowest seed)")
        ->check(unsignedInteger())
        ->check(CLI::Range(1, 100))
        ->needs(bound);
    a->flags.add(*cmd);
    cmd->callback([a, seedsOpt, &code] { code = runSweepCommand(*a, seedsOpt->count() > 0); });
}

}  // namespace tools
