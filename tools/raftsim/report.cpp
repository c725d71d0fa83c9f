#include "tools/raftsim/report.hpp"

#include <fmt/format.h>

namespace tools {

std::string linSummary(const sim::RunResult& r) {
    if (!r.lin) {
        return r.violation ? "not checked: another property was violated first" : "not checked (--no-lin)";
    }
    const sim::lin::Result& l = *r.lin;
    const std::string counts =
        fmt::format("{} operations on {} keys, {} states explored", l.operations, l.keys, l.states);
    switch (l.verdict) {
        case sim::lin::Verdict::Ok: return fmt::format("linearizable: {}", counts);
        case sim::lin::Verdict::Unknown:
            return fmt::format("unknown: the search ran out of budget on {} of {} keys ({}; not a violation)",
                               l.unknownKeys, l.keys, counts);
        case sim::lin::Verdict::Violated:
            return fmt::format("NOT linearizable: {} (the witness is in the verdict)", counts);
    }
    return {};
}

std::string runSummary(const sim::RunResult& r) {
    const sim::RunStats& s = r.stats;
    std::string faults;
    for (int k = 0; k < static_cast<int>(sim::Nemesis::Count_); ++k) {
        faults += fmt::format(" {}={}", sim::name(static_cast<sim::Nemesis>(k)), s.nemesis[k]);
    }
    const sim::NetworkStats& n = s.network;
    // Only for runs with leadership transfers: other runs print as before.
    std::string transfers =
        s.transfersAsked == 0 ? std::string()
                              : fmt::format("  transfer  asked={} accepted={} completed={}\n", s.transfersAsked,
                                            s.transfersAccepted, s.transfersCompleted);
    if (s.membershipAsked > 0) {  // only for runs with membership changes
        std::string refused;
        for (std::size_t k = 1; k < s.membershipRefused.size(); ++k) {
            refused += fmt::format(" {}={}", raft::name(static_cast<raft::ChangeRefusal>(k)), s.membershipRefused[k]);
        }
        transfers += fmt::format("  membership asked={} accepted={} refused:{}\n", s.membershipAsked,
                                 s.membershipAccepted, refused);
    }
    // Likewise only for runs whose gets bypass the log.
    if (s.readsServed > 0) {
        transfers += fmt::format("  reads     served without the log={}{}\n", s.readsServed,
                                 s.readsOnLease > 0 ? fmt::format(" on a lease={}", s.readsOnLease) : "");
    }
    // Likewise only for runs with client sessions.
    if (s.sessionsRegistered > 0) {
        transfers += fmt::format("  sessions  registered={} retried={} duplicates answered from the session={} "
                                 "expired={}\n",
                                 s.sessionsRegistered, s.sessionRetries, s.sessionDuplicates, s.sessionsExpired);
    }
    // Likewise only for runs with snapshots.
    if (s.snapshotsTaken > 0) {
        transfers += fmt::format("  snapshots taken={} installed from a leader={}\n", s.snapshotsTaken,
                                 s.snapshotsInstalled);
    }
    // Likewise only for runs with a standing partial fault.
    std::string standing;
    if (r.standing) {
        standing = fmt::format("  standing  {}: after M's first leader that committed in its term, the longest gap without one {:.2f} "
                               "election timeouts (bound {})\n",
                               sim::describe(*r.standing), static_cast<double>(s.standingMaxGapMilliTimeouts) / 1000,
                               sim::kStandingBoundTimeouts);
    }
    return fmt::format(
        "  events    {} in {:.3f}s virtual, event hash {:016x}\n"
        "  raft      leaders elected={} leader changes={} max term={} entries committed={} "
        "election timeouts={}\n"
        "{}"
        "  faults   {} restarts={}\n"
        "  network   sent={} dropped={} partitioned={} duplicated={} reordered={} clogged={}\n"
        "  clients   ok={} fail={} info={}\n"
        "  lin       {}\n"
        "  liveness  {}\n{}",
        s.events, static_cast<double>(s.endUs) / 1e6, r.eventHash, s.leadersElected,
        s.leaderChanges, s.maxTerm, s.entriesCommitted, s.timeouts, transfers, faults, s.restarts, n.sent,
        n.dropped, n.partitioned, n.duplicated, n.reordered, n.clogged, s.clientOk, s.clientFail,
        s.clientInfo, linSummary(r),
        s.livenessRecoveryUs >= 0
            ? fmt::format("recovered {:.1f}ms after the heal ({:.2f} election timeouts, {} elections)",
                          static_cast<double>(s.livenessRecoveryUs) / 1000,
                          static_cast<double>(s.livenessRecoveryMilliTimeouts) / 1000, s.livenessElections)
            : std::string("not reached"),
        standing);
}

std::string verdictLine(const sim::RunResult& r) {
    if (!r.violation && r.eventCapReached) {
        return fmt::format("verdict: unfinished: event cap of {} reached at t={:.6f}s (neither held nor violated)",
                           r.stats.events, static_cast<double>(r.stats.endUs) / 1e6);
    }
    if (!r.violation) return "verdict: all properties held";
    const sim::Violation& v = *r.violation;
    return fmt::format("verdict: VIOLATED {} at event {} (t={:.6f}s): {}", v.property, v.event,
                       static_cast<double>(v.timeUs) / 1e6, v.details);
}

}  // namespace tools
