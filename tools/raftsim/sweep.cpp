#include "tools/raftsim/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "tools/raftsim/failure.hpp"
#include "tools/raftsim/recovery_bound.hpp"

namespace tools {

void SweepTotals::add(const sim::RunResult& r) {
    const sim::RunStats& s = r.stats;
    seeds += 1;
    events += s.events;
    leaders += s.leadersElected;
    leaderChanges += s.leaderChanges;
    committed += s.entriesCommitted;
    timeouts += s.timeouts;
    restarts += s.restarts;
    ok += s.clientOk;
    fail += s.clientFail;
    info += s.clientInfo;
    transfersAsked += s.transfersAsked;
    transfersAccepted += s.transfersAccepted;
    transfersCompleted += s.transfersCompleted;
    membershipAsked += s.membershipAsked;
    membershipAccepted += s.membershipAccepted;
    for (std::size_t k = 0; k < membershipRefused.size(); ++k) membershipRefused[k] += s.membershipRefused[k];
    readsServed += s.readsServed;
    readsOnLease += s.readsOnLease;
    sessionsRegistered += s.sessionsRegistered;
    snapshotsTaken += s.snapshotsTaken;
    snapshotsInstalled += s.snapshotsInstalled;
    sessionRetries += s.sessionRetries;
    sessionDuplicates += s.sessionDuplicates;
    sessionsExpired += s.sessionsExpired;
    if (s.standingMaxGapMilliTimeouts >= 0) {
        standingRuns += 1;
        standingHeld += !r.violation && !r.eventCapReached ? 1 : 0;
        standingMaxGapMilliTimeouts = std::max(standingMaxGapMilliTimeouts, s.standingMaxGapMilliTimeouts);
    }
    if (!r.lin) {
        linUnchecked += 1;
    } else {
        linOk += r.lin->verdict == sim::lin::Verdict::Ok;
        linUnknown += r.lin->verdict == sim::lin::Verdict::Unknown;
        linViolated += r.lin->verdict == sim::lin::Verdict::Violated;
    }
    for (std::size_t k = 0; k < nemesis.size(); ++k) nemesis[k] += s.nemesis[k];
    net.sent += s.network.sent;
    net.dropped += s.network.dropped;
    net.partitioned += s.network.partitioned;
    net.duplicated += s.network.duplicated;
    net.reordered += s.network.reordered;
    net.clogged += s.network.clogged;
    if (s.livenessRecoveryUs >= 0) {
        recovered += 1;
        recoveryUs.push_back(s.livenessRecoveryUs);
        recoveryMilliTimeouts.push_back(s.livenessRecoveryMilliTimeouts);
        recoveryElections.push_back(s.livenessElections);
    }
    if (r.violation) {
        violations += 1;
        byProperty[r.violation->property] += 1;
    } else if (r.eventCapReached) {
        unfinished += 1;
    }
}

void SweepTotals::sortRecoveries() {
    std::sort(recoveryUs.begin(), recoveryUs.end());
    std::sort(recoveryMilliTimeouts.begin(), recoveryMilliTimeouts.end());
    std::sort(recoveryElections.begin(), recoveryElections.end());
}

namespace {

// Folds results in as they come; what it keeps depends only on the set of seeds run.
class Gather {
public:
    Gather(const SweepPlan& plan, SweepOutcome& out) : plan_(plan), out_(out) {}

    void add(SeedResult&& r) {
        out_.totals.add(r.result);
        if (plan_.junit) {
            out_.cases.push_back(JunitCase{r.seed, r.result.violation ? r.result.violation->property : "",
                                           !r.result.violation && r.result.eventCapReached});
        }
        if (!r.result.violation || plan_.maxReports == 0) return;
        std::vector<SeedResult>& kept = out_.failures;
        if (kept.size() == plan_.maxReports && kept.back().seed < r.seed) return;
        const auto at = std::lower_bound(kept.begin(), kept.end(), r.seed,
                                         [](const SeedResult& k, std::uint64_t seed) { return k.seed < seed; });
        kept.insert(at, std::move(r));
        if (kept.size() > plan_.maxReports) kept.pop_back();
    }

    void finish() {
        out_.totals.sortRecoveries();
        std::sort(out_.cases.begin(), out_.cases.end(),
                  [](const JunitCase& a, const JunitCase& b) { return a.seed < b.seed; });
    }

private:
    const SweepPlan& plan_;
    SweepOutcome& out_;
};

}  // namespace

SweepOutcome runSweep(const SweepPlan& plan, const SimFlags& flags,
                      const std::function<void(const SeedResult&, const SweepTotals&)>& onDone) {
    SweepOutcome out;
    out.planned = plan.seeds.count;
    out.timeBudgetS = plan.timeBudgetS;
    Gather gather(plan, out);
    std::atomic<std::uint64_t> next{0};
    std::atomic<bool> violated{false};
    std::atomic<SweepStop> stop{SweepStop::None};
    std::mutex mutex;
    // Wall time only decides when to stop taking seeds, never what a seed does.
    const auto start = std::chrono::steady_clock::now();
    auto stopReason = [&] {
        if (plan.interrupt != nullptr && plan.interrupt->load()) return SweepStop::Interrupted;
        if (plan.failFast && violated.load()) return SweepStop::FailFast;
        if (plan.timeBudgetS > 0) {
            const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
            if (elapsed.count() >= plan.timeBudgetS) return SweepStop::TimeBudget;
        }
        return SweepStop::None;
    };
    // The stop is tested before a seed is taken and every taken seed runs, so the seeds
    // run are always a prefix of the sequence.
    auto worker = [&] {
        for (;;) {
            if (const SweepStop why = stopReason(); why != SweepStop::None) {
                SweepStop none = SweepStop::None;
                stop.compare_exchange_strong(none, why);
                return;
            }
            const std::uint64_t k = next.fetch_add(1);
            if (k >= plan.seeds.count) return;
            SeedResult r{.seed = plan.seeds.at(k)};
            r.result = sim::World(flags.optionsFor(r.seed), r.seed).run();
            if (r.result.violation) violated.store(true);
            const std::lock_guard<std::mutex> lock(mutex);
            onDone(r, out.totals);
            gather.add(std::move(r));
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < plan.jobs; ++j) threads.emplace_back(worker);
    worker();
    for (std::thread& t : threads) t.join();
    gather.finish();
    // A stop noticed after the last seed was taken stopped nothing.
    out.stop = out.totals.seeds < out.planned ? stop.load() : SweepStop::None;
    return out;
}

namespace {

std::string stopLine(const SweepOutcome& o) {
    const std::uint64_t ran = o.totals.seeds;
    switch (o.stop) {
        case SweepStop::None: return {};
        case SweepStop::TimeBudget:
            return fmt::format("  stopped by the time budget ({}s) after {} of {} seeds: which seeds ran "
                               "depends on the machine's speed\n",
                               o.timeBudgetS, ran, o.planned);
        case SweepStop::FailFast:
            return fmt::format("  stopped at the first violation (--fail-fast) after {} of {} seeds: which "
                               "seeds ran depends on timing\n",
                               ran, o.planned);
        case SweepStop::Interrupted:
            return fmt::format("  interrupted after {} of {} seeds: a partial summary\n", ran, o.planned);
    }
    return {};
}

}  // namespace

std::string sweepSummary(const SweepOutcome& o) {
    const SweepTotals& t = o.totals;
    std::string out =
        t.unfinished == 0
            ? fmt::format("sweep summary: {} seeds, {} violated, {} held\n", t.seeds, t.violations,
                          t.seeds - t.violations)
            : fmt::format("sweep summary: {} seeds, {} violated, {} unfinished (event cap), {} held\n", t.seeds,
                          t.violations, t.unfinished, t.seeds - t.violations - t.unfinished);
    out += stopLine(o);
    auto row = [&out](std::string_view what, std::uint64_t n) {
        out += fmt::format("  {:<28}{:>14}\n", what, n);
    };
    row("events", t.events);
    row("leaders elected", t.leaders);
    row("leader changes", t.leaderChanges);
    row("entries committed", t.committed);
    row("election timeouts", t.timeouts);
    row("node restarts", t.restarts);
    if (t.transfersAsked > 0) {  // runs with leadership transfers only
        row("transfers asked", t.transfersAsked);
        row("transfers accepted", t.transfersAccepted);
        row("transfers completed", t.transfersCompleted);
    }
    if (t.membershipAsked > 0) {  // runs with membership changes only
        row("membership changes asked", t.membershipAsked);
        row("  accepted", t.membershipAccepted);
        for (std::size_t k = 1; k < t.membershipRefused.size(); ++k) {
            row(fmt::format("  refused: {}", raft::name(static_cast<raft::ChangeRefusal>(k))), t.membershipRefused[k]);
        }
    }
    if (t.readsServed > 0) row("reads served without the log", t.readsServed);
    if (t.readsOnLease > 0) row("  of which on a leader's lease", t.readsOnLease);
    if (t.sessionsRegistered > 0) {  // runs with client sessions only
        row("sessions registered", t.sessionsRegistered);
        row("session: commands retried", t.sessionRetries);
        row("session: duplicates answered", t.sessionDuplicates);
        row("session: expired answers", t.sessionsExpired);
    }
    if (t.snapshotsTaken > 0) {  // runs with snapshots only
        row("snapshots taken", t.snapshotsTaken);
        row("snapshots installed (leader)", t.snapshotsInstalled);
    }
    if (t.standingRuns > 0) {  // runs with a standing partial fault only
        row("standing faults", t.standingRuns);
        row("  of which held", t.standingHeld);
        out += fmt::format("  {:<28}{:>14.2f}\n", "  longest gap (timeouts)",
                           static_cast<double>(t.standingMaxGapMilliTimeouts) / 1000);
    }
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
    row("histories linearizable", t.linOk);
    row("histories lin. unknown", t.linUnknown);
    row("histories not linearizable", t.linViolated);
    if (t.linUnchecked > 0) row("histories not checked", t.linUnchecked);
    row("seeds that recovered", t.recovered);
    if (!t.recoveryUs.empty()) {
        out += fmt::format("  {:<28}{:>12.1f}ms\n", "median recovery after heal",
                           static_cast<double>(t.recoveryUs[t.recoveryUs.size() / 2]) / 1000);
    }
    out += recoveryLine(t);
    for (const auto& [property, n] : t.byProperty) row(fmt::format("violated: {}", property), n);
    if (t.unfinished > 0) row("unfinished: event cap", t.unfinished);
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

// The details of a kept failing seed; the others were counted, not kept.
std::string detailsOf(const SweepOutcome& o, std::uint64_t seed) {
    const auto it = std::lower_bound(o.failures.begin(), o.failures.end(), seed,
                                     [](const SeedResult& k, std::uint64_t s) { return k.seed < s; });
    if (it != o.failures.end() && it->seed == seed) return it->result.violation->details;
    return "(details not kept past --max-reports; run the command below)";
}

}  // namespace

std::string junitXml(const SweepOutcome& o, const SimFlags& flags) {
    const SweepTotals& t = o.totals;
    std::string out = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuite name=\"raftsim.sweep\" tests=\"{}\" failures=\"{}\">\n",
        t.seeds, t.violations);
    for (const JunitCase& c : o.cases) {
        out += fmt::format("  <testcase classname=\"raftsim.sweep\" name=\"seed-{}\"", c.seed);
        if (c.property.empty() && !c.unfinished) {
            out += "/>\n";
        } else if (c.property.empty()) {
            out += fmt::format(">\n    <skipped message=\"unfinished: event cap reached\"/>\n  </testcase>\n");
        } else {
            out += fmt::format(">\n    <failure message=\"{}\">{}&#10;{}</failure>\n  </testcase>\n",
                               xmlEscape(c.property), xmlEscape(detailsOf(o, c.seed)),
                               xmlEscape(reproCommand(c.seed, flags)));
        }
    }
    out += "</testsuite>\n";
    return out;
}

}  // namespace tools
