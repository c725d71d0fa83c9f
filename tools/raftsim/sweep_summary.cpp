#include "tools/raftsim/sweep_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "raftsim_version.hpp"
#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/failure.hpp"
#include "traces/files.hpp"

namespace tools {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "raftsim-sweep-summary";
constexpr std::uint64_t kVersion = 1;

constexpr std::string_view stopName(SweepStop s) {
    switch (s) {
        case SweepStop::None: return "none";
        case SweepStop::TimeBudget: return "time-budget";
        case SweepStop::FailFast: return "fail-fast";
        case SweepStop::Interrupted: return "interrupted";
    }
    return "none";
}

// Which stop a merge reports when shards stopped for different reasons.
int stopRank(SweepStop s) {
    switch (s) {
        case SweepStop::None: return 0;
        case SweepStop::TimeBudget: return 1;
        case SweepStop::FailFast: return 2;
        case SweepStop::Interrupted: return 3;
    }
    return 0;
}

json totalsJson(const SweepTotals& t) {
    json faults = json::object();
    for (std::size_t k = 0; k < t.nemesis.size(); ++k) {
        faults[std::string(sim::name(static_cast<sim::Nemesis>(k)))] = t.nemesis[k];
    }
    json violated = json::object();
    for (const auto& [property, n] : t.byProperty) violated[property] = n;
    json j{
        {"seeds", t.seeds},
        {"violations", t.violations},
        {"unfinished", t.unfinished},
        {"events", t.events},
        {"leaders_elected", t.leaders},
        {"leader_changes", t.leaderChanges},
        {"entries_committed", t.committed},
        {"election_timeouts", t.timeouts},
        {"node_restarts", t.restarts},
        {"client_ok", t.ok},
        {"client_fail", t.fail},
        {"client_info", t.info},
        {"lin_ok", t.linOk},
        {"lin_unknown", t.linUnknown},
        {"lin_violated", t.linViolated},
        {"lin_unchecked", t.linUnchecked},
        {"faults", faults},
        {"network",
         {{"sent", t.net.sent},
          {"dropped", t.net.dropped},
          {"partitioned", t.net.partitioned},
          {"duplicated", t.net.duplicated},
          {"reordered", t.net.reordered},
          {"clogged", t.net.clogged}}},
        {"seeds_recovered", t.recovered},
        {"recovery_us", t.recoveryUs},
        {"recovery_milli_timeouts", t.recoveryMilliTimeouts},
        {"recovery_elections", t.recoveryElections},
        {"violated", violated},
    };
    if (t.transfersAsked > 0) {  // written only for sweeps with leadership transfers
        j["transfers"] = json{{"asked", t.transfersAsked},
                              {"accepted", t.transfersAccepted},
                              {"completed", t.transfersCompleted}};
    }
    if (t.membershipAsked > 0) {  // written only for sweeps with membership changes
        json refused = json::object();
        for (std::size_t k = 1; k < t.membershipRefused.size(); ++k) {
            refused[std::string(raft::name(static_cast<raft::ChangeRefusal>(k)))] = t.membershipRefused[k];
        }
        j["membership"] = json{{"asked", t.membershipAsked}, {"accepted", t.membershipAccepted}, {"refused", refused}};
    }
    if (t.readsServed > 0) {  // written only for sweeps with reads without the log
        j["reads_served"] = t.readsServed;
    }
    if (t.readsOnLease > 0) j["reads_on_lease"] = t.readsOnLease;  // likewise, with leases
    if (t.sessionsRegistered > 0) {  // written only for sweeps with client sessions
        j["sessions"] = json{{"registered", t.sessionsRegistered},
                             {"retried", t.sessionRetries},
                             {"duplicates", t.sessionDuplicates},
                             {"expired", t.sessionsExpired}};
    }
    if (t.snapshotsTaken > 0) {  // written only for sweeps with snapshots
        j["snapshots"] = json{{"taken", t.snapshotsTaken}, {"installed", t.snapshotsInstalled}};
    }
    if (t.standingRuns > 0) {  // written only for sweeps with standing partial faults
        j["standing"] = json{{"runs", t.standingRuns},
                             {"held", t.standingHeld},
                             {"max_gap_milli_timeouts", t.standingMaxGapMilliTimeouts}};
    }
    return j;
}

// Reads fields of one document, naming the file and the field in every error.
class Reader {
public:
    explicit Reader(const std::string& path) : path_(path) {}

    [[noreturn]] void fail(std::string_view where, std::string_view what) const {
        throw std::runtime_error(fmt::format("{}: {}: {}", path_, where, what));
    }

    const json& field(const json& obj, const std::string& where, const char* key) const {
        if (!obj.is_object()) fail(where.empty() ? "(top level)" : where, "expected an object");
        const auto it = obj.find(key);
        if (it == obj.end()) fail(join(where, key), "missing");
        return *it;
    }

    std::uint64_t u64(const json& v, const std::string& where) const {
        if (!v.is_number_unsigned()) fail(where, fmt::format("expected a whole number >= 0, found {}", shown(v)));
        return v.get<std::uint64_t>();
    }
    std::uint64_t u64(const json& obj, const std::string& where, const char* key) const {
        return u64(field(obj, where, key), join(where, key));
    }
    std::string str(const json& obj, const std::string& where, const char* key) const {
        const json& v = field(obj, where, key);
        if (!v.is_string()) fail(join(where, key), fmt::format("expected a string, found {}", shown(v)));
        return v.get<std::string>();
    }
    double number(const json& obj, const std::string& where, const char* key) const {
        const json& v = field(obj, where, key);
        if (!v.is_number() || v.get<double>() < 0) {
            fail(join(where, key), fmt::format("expected a number >= 0, found {}", shown(v)));
        }
        return v.get<double>();
    }
    const json& object(const json& obj, const std::string& where, const char* key) const {
        const json& v = field(obj, where, key);
        if (!v.is_object()) fail(join(where, key), fmt::format("expected an object, found {}", shown(v)));
        return v;
    }
    const json& array(const json& obj, const std::string& where, const char* key) const {
        const json& v = field(obj, where, key);
        if (!v.is_array()) fail(join(where, key), fmt::format("expected an array, found {}", shown(v)));
        return v;
    }

    static std::string join(const std::string& where, std::string_view key) {
        return where.empty() ? std::string(key) : fmt::format("{}.{}", where, key);
    }

private:
    static std::string shown(const json& v) {
        std::string s = v.dump();
        if (s.size() > 40) s = s.substr(0, 37) + "...";
        return s;
    }
    const std::string& path_;
};

// A sorted list of whole numbers, one a recovered seed (totals.recovery_*).
std::vector<std::uint64_t> readRecoveries(const Reader& r, const json& t, const char* key, std::uint64_t recovered) {
    const json& list = r.array(t, "totals", key);
    std::vector<std::uint64_t> out;
    for (std::size_t k = 0; k < list.size(); ++k) {
        const std::string at = fmt::format("totals.{}[{}]", key, k);
        out.push_back(r.u64(list[k], at));
        if (out.back() > static_cast<std::uint64_t>(INT64_MAX)) r.fail(at, "out of range");
        if (k > 0 && out[k] < out[k - 1]) r.fail(at, "not sorted");
    }
    if (out.size() != recovered) {
        r.fail(Reader::join("totals", key), fmt::format("{} values for {} seeds that recovered", out.size(), recovered));
    }
    return out;
}

SweepTotals readTotals(const Reader& r, const json& t) {
    const std::string w = "totals";
    SweepTotals out;
    out.seeds = r.u64(t, w, "seeds");
    out.violations = r.u64(t, w, "violations");
    out.unfinished = r.u64(t, w, "unfinished");
    out.events = r.u64(t, w, "events");
    out.leaders = r.u64(t, w, "leaders_elected");
    out.leaderChanges = r.u64(t, w, "leader_changes");
    out.committed = r.u64(t, w, "entries_committed");
    out.timeouts = r.u64(t, w, "election_timeouts");
    out.restarts = r.u64(t, w, "node_restarts");
    out.ok = r.u64(t, w, "client_ok");
    out.fail = r.u64(t, w, "client_fail");
    out.info = r.u64(t, w, "client_info");
    out.linOk = r.u64(t, w, "lin_ok");
    out.linUnknown = r.u64(t, w, "lin_unknown");
    out.linViolated = r.u64(t, w, "lin_violated");
    out.linUnchecked = r.u64(t, w, "lin_unchecked");
    if (t.contains("transfers")) {
        const json& x = t["transfers"];
        out.transfersAsked = r.u64(x, w + ".transfers", "asked");
        out.transfersAccepted = r.u64(x, w + ".transfers", "accepted");
        out.transfersCompleted = r.u64(x, w + ".transfers", "completed");
    }
    if (t.contains("membership")) {
        const json& x = t["membership"];
        out.membershipAsked = r.u64(x, w + ".membership", "asked");
        out.membershipAccepted = r.u64(x, w + ".membership", "accepted");
        const json& refused = r.field(x, w + ".membership", "refused");
        for (std::size_t k = 1; k < out.membershipRefused.size(); ++k) {
            const std::string reason(raft::name(static_cast<raft::ChangeRefusal>(k)));
            out.membershipRefused[k] = r.u64(refused, w + ".membership.refused", reason.c_str());
        }
    }
    if (t.contains("reads_served")) {
        out.readsServed = r.u64(t, w, "reads_served");
    }
    if (t.contains("reads_on_lease")) out.readsOnLease = r.u64(t, w, "reads_on_lease");
    if (out.readsOnLease > out.readsServed) r.fail("totals.reads_on_lease", "more than reads_served");
    if (t.contains("sessions")) {
        const json& x = t["sessions"];
        out.sessionsRegistered = r.u64(x, w + ".sessions", "registered");
        out.sessionRetries = r.u64(x, w + ".sessions", "retried");
        out.sessionDuplicates = r.u64(x, w + ".sessions", "duplicates");
        out.sessionsExpired = r.u64(x, w + ".sessions", "expired");
    }
    if (t.contains("snapshots")) {
        const json& x = t["snapshots"];
        out.snapshotsTaken = r.u64(x, w + ".snapshots", "taken");
        out.snapshotsInstalled = r.u64(x, w + ".snapshots", "installed");
    }
    if (t.contains("standing")) {
        const json& x = t["standing"];
        out.standingRuns = r.u64(x, w + ".standing", "runs");
        out.standingHeld = r.u64(x, w + ".standing", "held");
        out.standingMaxGapMilliTimeouts = static_cast<std::int64_t>(r.u64(x, w + ".standing", "max_gap_milli_timeouts"));
        if (out.standingHeld > out.standingRuns) r.fail("totals.standing.held", "more than runs");
    }
    if (out.linOk + out.linUnknown + out.linViolated + out.linUnchecked > out.seeds) {
        r.fail("totals.lin_ok", "more histories than seeds");
    }
    const json& faults = r.object(t, w, "faults");
    for (std::size_t k = 0; k < out.nemesis.size(); ++k) {
        const std::string name(sim::name(static_cast<sim::Nemesis>(k)));
        out.nemesis[k] = r.u64(faults, "totals.faults", name.c_str());
    }
    if (faults.size() != out.nemesis.size()) r.fail("totals.faults", "holds a fault kind this raftsim does not know");
    const json& net = r.object(t, w, "network");
    const std::string nw = "totals.network";
    out.net.sent = r.u64(net, nw, "sent");
    out.net.dropped = r.u64(net, nw, "dropped");
    out.net.partitioned = r.u64(net, nw, "partitioned");
    out.net.duplicated = r.u64(net, nw, "duplicated");
    out.net.reordered = r.u64(net, nw, "reordered");
    out.net.clogged = r.u64(net, nw, "clogged");
    out.recovered = r.u64(t, w, "seeds_recovered");
    const json& rec = r.array(t, w, "recovery_us");
    for (std::size_t k = 0; k < rec.size(); ++k) {
        const std::string at = fmt::format("totals.recovery_us[{}]", k);
        const std::uint64_t us = r.u64(rec[k], at);
        if (us > static_cast<std::uint64_t>(INT64_MAX)) r.fail(at, "out of range");
        out.recoveryUs.push_back(static_cast<sim::Micros>(us));
        if (k > 0 && out.recoveryUs[k] < out.recoveryUs[k - 1]) r.fail(at, "recovery times are not sorted");
    }
    if (out.recoveryUs.size() != out.recovered) {
        r.fail("totals.recovery_us", fmt::format("{} recovery times for {} seeds that recovered", rec.size(),
                                                 out.recovered));
    }
    for (const std::uint64_t v : readRecoveries(r, t, "recovery_milli_timeouts", out.recovered)) {
        out.recoveryMilliTimeouts.push_back(static_cast<std::int64_t>(v));
    }
    out.recoveryElections = readRecoveries(r, t, "recovery_elections", out.recovered);
    std::uint64_t byProperty = 0;
    for (const auto& [property, n] : r.object(t, w, "violated").items()) {
        out.byProperty[property] = r.u64(n, fmt::format("totals.violated.{}", property));
        byProperty += out.byProperty[property];
    }
    if (byProperty != out.violations) {
        r.fail("totals.violated", fmt::format("counts {} violations, totals.violations says {}", byProperty,
                                              out.violations));
    }
    if (out.violations + out.unfinished > out.seeds) {
        r.fail("totals", "more violated and unfinished seeds than seeds");
    }
    return out;
}

void addTotals(SweepTotals& into, const SweepTotals& t) {
    into.seeds += t.seeds;
    into.violations += t.violations;
    into.unfinished += t.unfinished;
    into.events += t.events;
    into.leaders += t.leaders;
    into.leaderChanges += t.leaderChanges;
    into.committed += t.committed;
    into.timeouts += t.timeouts;
    into.restarts += t.restarts;
    into.ok += t.ok;
    into.fail += t.fail;
    into.info += t.info;
    into.linOk += t.linOk;
    into.linUnknown += t.linUnknown;
    into.linViolated += t.linViolated;
    into.linUnchecked += t.linUnchecked;
    into.transfersAsked += t.transfersAsked;
    into.transfersAccepted += t.transfersAccepted;
    into.transfersCompleted += t.transfersCompleted;
    into.membershipAsked += t.membershipAsked;
    into.membershipAccepted += t.membershipAccepted;
    for (std::size_t k = 0; k < into.membershipRefused.size(); ++k) into.membershipRefused[k] += t.membershipRefused[k];
    into.readsServed += t.readsServed;
    into.readsOnLease += t.readsOnLease;
    into.sessionsRegistered += t.sessionsRegistered;
    into.snapshotsTaken += t.snapshotsTaken;
    into.snapshotsInstalled += t.snapshotsInstalled;
    into.sessionRetries += t.sessionRetries;
    into.sessionDuplicates += t.sessionDuplicates;
    into.sessionsExpired += t.sessionsExpired;
    into.standingRuns += t.standingRuns;
    into.standingHeld += t.standingHeld;
    into.standingMaxGapMilliTimeouts = std::max(into.standingMaxGapMilliTimeouts, t.standingMaxGapMilliTimeouts);
    for (std::size_t k = 0; k < into.nemesis.size(); ++k) into.nemesis[k] += t.nemesis[k];
    into.net.sent += t.net.sent;
    into.net.dropped += t.net.dropped;
    into.net.partitioned += t.net.partitioned;
    into.net.duplicated += t.net.duplicated;
    into.net.reordered += t.net.reordered;
    into.net.clogged += t.net.clogged;
    into.recovered += t.recovered;
    into.recoveryUs.insert(into.recoveryUs.end(), t.recoveryUs.begin(), t.recoveryUs.end());
    into.recoveryMilliTimeouts.insert(into.recoveryMilliTimeouts.end(), t.recoveryMilliTimeouts.begin(),
                                      t.recoveryMilliTimeouts.end());
    into.recoveryElections.insert(into.recoveryElections.end(), t.recoveryElections.begin(),
                                  t.recoveryElections.end());
    for (const auto& [property, n] : t.byProperty) into.byProperty[property] += n;
}

}  // namespace

SeedSequence shardOfRange(std::uint64_t first, std::uint64_t last, std::uint64_t index, std::uint64_t total) {
    SeedSequence s{.first = first + index, .stride = total};
    if (index > last - first) return s;  // an empty shard
    const std::uint64_t lastK = (last - first - index) / total;
    s.count = lastK == UINT64_MAX ? lastK : lastK + 1;  // 0..2^64-1 runs one seed short
    return s;
}

SweepSummary summaryOf(const SweepOutcome& outcome, std::uint64_t first, std::uint64_t last,
                       std::uint64_t shardIndex, std::uint64_t shardCount, const SimFlags& flags,
                       std::size_t maxReports, const std::string& outDir, bool reportsWritten,
                       const RecoveryBound& bound) {
    SweepSummary s;
    s.bound = bound;
    s.producer = "raftsim " RAFTSIM_VERSION;
    s.first = first;
    s.last = last;
    s.shardIndex = shardIndex;
    s.shardCount = shardCount;
    s.flags = flags.repro();
    s.maxReports = maxReports;
    s.outcome.totals = outcome.totals;
    s.outcome.planned = outcome.planned;
    s.outcome.stop = outcome.stop;
    s.outcome.timeBudgetS = outcome.timeBudgetS;
    for (const SeedResult& r : outcome.failures) {
        s.reports.push_back(ReportLine{
            .seed = r.seed,
            .property = r.result.violation->property,
            .report = reportsWritten ? fmt::format("{}/seed-{}.json", outDir, r.seed) : std::string(),
            .reproduce = reproCommand(r.seed, flags),
        });
    }
    return s;
}

std::string reportLines(const SweepSummary& s) {
    std::string out;
    for (const ReportLine& r : s.reports) {
        out += fmt::format("seed {}: {}{}\n  reproduce: {}\n", r.seed, r.property,
                           r.report.empty() ? std::string(" (no report: interrupted)") : fmt::format(" ({})", r.report),
                           r.reproduce);
        if (!r.report.empty()) out += fmt::format("  replay: {}\n", replayCommand(r.report));
    }
    const std::uint64_t rest = s.outcome.totals.violations - s.reports.size();
    if (rest > 0) {
        out += fmt::format(
            "... and {} more failing seeds, counted above by property (reports are written for the "
            "first {}: --max-reports)\n",
            rest, s.maxReports);
    }
    return out;
}

std::string summaryJson(const SweepSummary& s) {
    json reports = json::array();
    for (const ReportLine& r : s.reports) {
        reports.push_back(json{{"seed", r.seed},
                               {"property", r.property},
                               {"report", r.report.empty() ? json(nullptr) : json(r.report)},
                               {"reproduce", r.reproduce}});
    }
    json doc{
        {"format", kFormat},
        {"version", kVersion},
        {"producer", s.producer},
        {"seeds", {{"first", s.first}, {"last", s.last}}},
        {"shard", {{"index", s.shardIndex}, {"count", s.shardCount}}},
        {"flags", s.flags},
        {"max_reports", s.maxReports},
        {"planned", s.outcome.planned},
        {"stop", stopName(s.outcome.stop)},
        {"time_budget_s", s.outcome.timeBudgetS},
        {"totals", totalsJson(s.outcome.totals)},
        {"reports", reports},
    };
    if (s.bound.set()) {  // written only for sweeps held to a bound
        doc["recovery_bound"] = json{{"percentile", s.bound.percentile}, {"max_timeouts", s.bound.maxTimeouts}};
    }
    return doc.dump(2) + "\n";
}

SweepSummary readSummary(const std::string& path) {
    const std::string text = traces::readTextFile(path);
    const Reader r(path);
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (const auto close = what.find("] "); what.starts_with("[json.exception") && close != std::string::npos) {
            what = what.substr(close + 2);
        }
        throw std::runtime_error(fmt::format("{}: not JSON: {}", path, what));
    }
    if (!doc.is_object()) r.fail("(top level)", "expected an object, a sweep summary (raftsim sweep --json-summary)");
    if (r.str(doc, "", "format") != kFormat) {
        r.fail("format", fmt::format("expected \"{}\" (raftsim sweep --json-summary)", kFormat));
    }
    if (const std::uint64_t v = r.u64(doc, "", "version"); v != kVersion) {
        r.fail("version", fmt::format("{} is not a version this raftsim reads ({})", v, kVersion));
    }
    SweepSummary s;
    s.producer = r.str(doc, "", "producer");
    const json& seeds = r.object(doc, "", "seeds");
    s.first = r.u64(seeds, "seeds", "first");
    s.last = r.u64(seeds, "seeds", "last");
    if (s.first > s.last) r.fail("seeds", fmt::format("first {} is above last {}", s.first, s.last));
    const json& shard = r.object(doc, "", "shard");
    s.shardCount = r.u64(shard, "shard", "count");
    s.shardIndex = r.u64(shard, "shard", "index");
    if (s.shardCount == 0 || s.shardIndex >= s.shardCount) {
        r.fail("shard", fmt::format("{}/{} is not a shard i/n with i < n", s.shardIndex, s.shardCount));
    }
    s.flags = r.str(doc, "", "flags");
    const std::uint64_t maxReports = r.u64(doc, "", "max_reports");
    if (maxReports > 1'000'000) r.fail("max_reports", "above 1000000");
    s.maxReports = static_cast<std::size_t>(maxReports);
    s.outcome.planned = r.u64(doc, "", "planned");
    const std::uint64_t expected = shardOfRange(s.first, s.last, s.shardIndex, s.shardCount).count;
    if (s.outcome.planned != expected) {
        r.fail("planned", fmt::format("{} seeds, but shard {}/{} of {}..{} has {}", s.outcome.planned, s.shardIndex,
                                      s.shardCount, s.first, s.last, expected));
    }
    const std::string stop = r.str(doc, "", "stop");
    bool known = false;
    for (const SweepStop k : {SweepStop::None, SweepStop::TimeBudget, SweepStop::FailFast, SweepStop::Interrupted}) {
        if (stop == stopName(k)) s.outcome.stop = k, known = true;
    }
    if (!known) r.fail("stop", fmt::format("\"{}\" is not none, time-budget, fail-fast or interrupted", stop));
    s.outcome.timeBudgetS = r.number(doc, "", "time_budget_s");
    if (doc.contains("recovery_bound")) {
        const json& b = r.object(doc, "", "recovery_bound");
        const std::uint64_t p = r.u64(b, "recovery_bound", "percentile");
        if (p < 1 || p > 100) r.fail("recovery_bound.percentile", fmt::format("{} is not in 1..100", p));
        s.bound.percentile = static_cast<int>(p);
        s.bound.maxTimeouts = r.number(b, "recovery_bound", "max_timeouts");
        if (!s.bound.set()) r.fail("recovery_bound.max_timeouts", "must be above 0");
    }
    s.outcome.totals = readTotals(r, r.object(doc, "", "totals"));
    const SweepTotals& t = s.outcome.totals;
    if (t.seeds > s.outcome.planned) r.fail("totals.seeds", "more seeds run than planned");
    if (s.outcome.stop == SweepStop::None && t.seeds != s.outcome.planned) {
        r.fail("totals.seeds", fmt::format("{} of {} planned seeds ran, yet stop is \"none\"", t.seeds,
                                           s.outcome.planned));
    }
    const json& reports = r.array(doc, "", "reports");
    for (std::size_t k = 0; k < reports.size(); ++k) {
        const std::string at = fmt::format("reports[{}]", k);
        ReportLine line;
        line.seed = r.u64(reports[k], at, "seed");
        line.property = r.str(reports[k], at, "property");
        const json& report = r.field(reports[k], at, "report");
        if (!report.is_null()) line.report = r.str(reports[k], at, "report");
        line.reproduce = r.str(reports[k], at, "reproduce");
        if (k > 0 && line.seed <= s.reports.back().seed) r.fail(at + ".seed", "reports are not sorted by seed");
        s.reports.push_back(std::move(line));
    }
    if (s.reports.size() != std::min<std::uint64_t>(s.maxReports, t.violations)) {
        r.fail("reports", fmt::format("{} failing seeds listed; {} violations with max_reports {} keep {}",
                                      s.reports.size(), t.violations, s.maxReports,
                                      std::min<std::uint64_t>(s.maxReports, t.violations)));
    }
    return s;
}

SweepSummary mergeSummaries(const std::vector<SweepSummary>& shards, const std::vector<std::string>& paths) {
    if (shards.empty()) throw std::runtime_error("merge: no summaries given");
    const SweepSummary& a = shards.front();
    std::vector<std::string> seen(a.shardCount);
    for (std::size_t k = 0; k < shards.size(); ++k) {
        const SweepSummary& s = shards[k];
        const Reader r(paths[k]);
        auto differs = [&](std::string_view what, const std::string& mine, const std::string& theirs) {
            r.fail(what, fmt::format("{} here but {} in {}: not shards of one sweep", mine, theirs, paths[0]));
        };
        if (s.producer != a.producer) differs("producer", s.producer, a.producer);
        if (s.first != a.first || s.last != a.last) {
            differs("seeds", fmt::format("{}..{}", s.first, s.last), fmt::format("{}..{}", a.first, a.last));
        }
        if (s.shardCount != a.shardCount) {
            differs("shard.count", std::to_string(s.shardCount), std::to_string(a.shardCount));
        }
        if (s.flags != a.flags) differs("flags", fmt::format("'{}'", s.flags), fmt::format("'{}'", a.flags));
        if (s.maxReports != a.maxReports) {
            differs("max_reports", std::to_string(s.maxReports), std::to_string(a.maxReports));
        }
        if (s.bound != a.bound) {
            auto shown = [](const RecoveryBound& b) {
                return b.set() ? fmt::format("p{} <= {}", b.percentile, b.maxTimeouts) : std::string("none");
            };
            differs("recovery_bound", shown(s.bound), shown(a.bound));
        }
        if (s.outcome.timeBudgetS != a.outcome.timeBudgetS) {
            differs("time_budget_s", fmt::format("{}", s.outcome.timeBudgetS), fmt::format("{}", a.outcome.timeBudgetS));
        }
        std::string& first = seen[s.shardIndex];
        if (!first.empty()) {
            r.fail("shard.index", fmt::format("shard {}/{} again (also {})", s.shardIndex, s.shardCount, first));
        }
        first = paths[k];
    }
    std::string missing;
    std::uint64_t nMissing = 0;
    for (std::size_t i = 0; i < seen.size(); ++i) {
        if (!seen[i].empty()) continue;
        if (++nMissing <= 8) missing += fmt::format("{}{}/{}", missing.empty() ? "" : ", ", i, a.shardCount);
    }
    if (nMissing > 0) {
        throw std::runtime_error(fmt::format("merge: {} of the {} shards of seeds {}..{} missing: {}{}", nMissing,
                                             a.shardCount, a.first, a.last, missing, nMissing > 8 ? ", ..." : ""));
    }
    SweepSummary m;
    m.producer = a.producer;
    m.first = a.first;
    m.last = a.last;
    m.shardIndex = 0;
    m.shardCount = 1;
    m.flags = a.flags;
    m.maxReports = a.maxReports;
    m.outcome.timeBudgetS = a.outcome.timeBudgetS;
    m.bound = a.bound;
    for (const SweepSummary& s : shards) {
        addTotals(m.outcome.totals, s.outcome.totals);
        m.outcome.planned += s.outcome.planned;
        if (stopRank(s.outcome.stop) > stopRank(m.outcome.stop)) m.outcome.stop = s.outcome.stop;
        m.reports.insert(m.reports.end(), s.reports.begin(), s.reports.end());
    }
    m.outcome.totals.sortRecoveries();
    std::sort(m.reports.begin(), m.reports.end(),
              [](const ReportLine& x, const ReportLine& y) { return x.seed < y.seed; });
    if (m.reports.size() > m.maxReports) m.reports.resize(m.maxReports);
    return m;
}

int sweepExitCode(const SweepOutcome& o) {
    if (o.stop == SweepStop::Interrupted) return kInterrupted;
    if (o.totals.violations > 0) return kViolated;
    return o.totals.unfinished > 0 ? kUnfinished : kHeld;
}

int sweepExitCode(const SweepSummary& s) {
    const int code = sweepExitCode(s.outcome);
    if (code == kInterrupted || code == kViolated) return code;
    const std::optional<RecoveryVerdict> v = judgeRecovery(s.outcome.totals, s.bound);
    return v && !v->held ? kViolated : code;
}

std::string boundLine(const SweepSummary& s) {
    const std::optional<RecoveryVerdict> v = judgeRecovery(s.outcome.totals, s.bound);
    return v ? v->line + "\n" : std::string();
}

}  // namespace tools
