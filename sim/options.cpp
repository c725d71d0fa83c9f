#include "sim/options.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/implementations.hpp"
#include "sim/rng.hpp"

namespace sim {

std::string_view name(Nemesis kind) {
    switch (kind) {
        case Nemesis::Partition: return "partition";
        case Nemesis::OneWay: return "one-way";
        case Nemesis::IsolateOne: return "isolate";
        case Nemesis::MajorityMinority: return "majority-minority";
        case Nemesis::Clog: return "clog";
        case Nemesis::Crash: return "crash";
        case Nemesis::Pause: return "pause";
        case Nemesis::Drift: return "drift";
        case Nemesis::Count_: break;
    }
    return "?";
}

FaultConfig swarmFaults(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x5741524d);  // "SWARM": its own stream
    FaultConfig f;
    f.latencyMinUs = rng.between(200, 2'000);
    f.latencyMaxUs = f.latencyMinUs + rng.between(0, 20'000);
    // Each kind is on with probability 1/2, at an intensity of its own (swarm testing).
    if (rng.below(2) != 0) f.dropPpm = static_cast<std::uint32_t>(rng.between(1'000, 200'000));
    if (rng.below(2) != 0) f.duplicatePpm = static_cast<std::uint32_t>(rng.between(1'000, 100'000));
    if (rng.below(2) != 0) f.reorderPpm = static_cast<std::uint32_t>(rng.between(1'000, 200'000));
    f.reorderDelayMaxUs = rng.between(10'000, 300'000);
    f.diskLatencyMinUs = rng.between(10, 1'000);
    f.diskLatencyMaxUs = f.diskLatencyMinUs + rng.between(0, 10'000);
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) {
        if (rng.below(2) != 0) f.enable(static_cast<Nemesis>(k));
    }
    f.nemesisIntervalUs = rng.between(50'000, 1'000'000);
    f.faultDurationMaxUs = rng.between(100'000, 3'000'000);
    f.driftMaxPercent = static_cast<std::uint32_t>(rng.between(5, 80));
    return f;
}

void swarmCluster(std::uint64_t seed, SimOptions& o) {
    Rng rng = Rng(seed).fork(0x434c5553);  // "CLUS": its own stream
    o.maxEntriesPerAppend = rng.below(2) != 0 ? 1 << rng.below(4) : 64;  // 1, 2, 4, 8 or 64
    o.emptyHeartbeats = rng.below(2) != 0;
}

bool swarmPreVote(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x50524556);  // "PREV": its own stream
    return rng.below(2) != 0;
}

bool swarmTransfer(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x58464552);  // "XFER": its own stream
    return rng.below(2) != 0;
}

std::string_view name(Reads reads) {
    switch (reads) {
        case Reads::Log: return "log";
        case Reads::Index: return "index";
        case Reads::Follower: return "follower";
        case Reads::Lease: return "lease";
    }
    return "?";
}

std::optional<Reads> readsByName(std::string_view text) {
    for (const Reads r : {Reads::Log, Reads::Index, Reads::Follower, Reads::Lease}) {
        if (name(r) == text) return r;
    }
    return std::nullopt;
}

Reads swarmReads(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x52454144);  // "READ": its own stream
    const auto reads = static_cast<Reads>(rng.below(3));
    // Half the seeds that read by index hold leases: the others keep their draw.
    return reads == Reads::Index && rng.below(2) != 0 ? Reads::Lease : reads;
}

int leaseDriftBound(const SimOptions& o) {
    if (o.leaseDriftBoundPercent >= 0) return std::min(o.leaseDriftBoundPercent, 99);
    if (!o.faults.has(Nemesis::Drift)) return 0;
    return static_cast<int>(std::min<std::uint32_t>(o.faults.driftMaxPercent, 99));
}

// Whether one of the run's bug switches lives in a feature (and so turns it on).
static bool anyBugLivesIn(const SimOptions& o, bool (*livesIn)(raft::Bug)) {
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (o.bugs.has(info.bug) && livesIn(info.bug)) return true;
    }
    return false;
}

bool livesInLeases(raft::Bug bug) {
    return bug == raft::Bug::LeaseNeverExpires || bug == raft::Bug::LeaseReadDuringTransfer;
}

bool livesInReads(raft::Bug bug) {
    return bug == raft::Bug::ReadWithoutQuorum || bug == raft::Bug::ReadIndexBeforeTermCommit ||
           bug == raft::Bug::FollowerReadBeforeApply || livesInLeases(bug);
}

Reads readsOf(const SimOptions& o) {
    // A stale read index shows on a follower, which applies behind its leader.
    if (o.bugs.has(raft::Bug::ReadIndexBeforeTermCommit) ||
        o.bugs.has(raft::Bug::FollowerReadBeforeApply)) {
        return Reads::Follower;
    }
    if (o.bugs.has(raft::Bug::ReadWithoutQuorum) && o.reads == Reads::Log) return Reads::Index;
    if (anyBugLivesIn(o, livesInLeases)) return Reads::Lease;
    return o.reads;
}

bool swarmSessions(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x53455353);  // "SESS": its own stream
    return rng.below(2) != 0;
}

bool livesInSessions(raft::Bug bug) {
    return bug == raft::Bug::SessionNoDedupe || bug == raft::Bug::SessionExpiryLocalClock;
}

bool sessionsOn(const SimOptions& o) {
    return o.sessions || anyBugLivesIn(o, livesInSessions);
}

std::uint32_t swarmSnapshots(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x534e4150);  // "SNAP": its own stream
    if (rng.below(2) == 0) return 0;
    return static_cast<std::uint32_t>(rng.between(4, 64));
}

bool livesInSnapshots(raft::Bug bug) {
    return bug == raft::Bug::SnapshotAckBeforePersist || bug == raft::Bug::SnapshotKeepsConflictingLog;
}

std::uint32_t snapshotsOf(const SimOptions& o) {
    if (o.snapshotEvery != 0) return o.snapshotEvery;
    return anyBugLivesIn(o, livesInSnapshots) ? kSnapshotEvery : 0;
}

bool livesInTransfer(raft::Bug bug) {
    return bug == raft::Bug::TransferNeverAborted || bug == raft::Bug::ProposeDuringTransfer ||
           bug == raft::Bug::StaleTimeoutNow || bug == raft::Bug::LeaseReadDuringTransfer;
}

bool transfersOn(const SimOptions& o) {
    return o.transfer || anyBugLivesIn(o, livesInTransfer);
}

bool swarmMembership(std::uint64_t seed) {
    Rng rng = Rng(seed).fork(0x4d454d42);  // "MEMB": its own stream
    return rng.below(2) != 0;
}

bool livesInMembership(raft::Bug bug) {
    return bug == raft::Bug::ConcurrentChanges || bug == raft::Bug::RemovedLeaderStays ||
           bug == raft::Bug::LearnerCountedInQuorum;
}

bool membershipOn(const SimOptions& o) {
    return o.membership || anyBugLivesIn(o, livesInMembership);
}

int hostCount(const SimOptions& o) {
    return membershipOn(o) ? std::min(raft::kMaxNodes, o.nodes + kSpareHosts) : o.nodes;
}

int swarmNodes(std::uint64_t seed, int lo, int hi) {
    RAFT_ASSERT(1 <= lo && lo <= hi && hi <= raft::kMaxNodes, "lo={} hi={}", lo, hi);
    if (lo == hi) return lo;
    Rng rng = Rng(seed).fork(0x53495a45);  // "SIZE": its own stream
    return lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
}

namespace {

std::string percent(std::uint32_t ppm) { return fmt::format("{:.2f}%", ppm / 10'000.0); }

std::string nemesisList(const FaultConfig& f) {
    std::string out;
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) {
        if (!f.has(static_cast<Nemesis>(k))) continue;
        if (!out.empty()) out += ",";
        out += name(static_cast<Nemesis>(k));
    }
    return out.empty() ? "none" : out;
}

}  // namespace

std::string describe(const SimOptions& o) {
    const FaultConfig& f = o.faults;
    std::string bugs;
    for (const raft::BugInfo& info : raft::bugCatalog()) {
        if (!o.bugs.has(info.bug)) continue;
        if (!bugs.empty()) bugs += ",";
        bugs += info.name;
    }
    // Named only for another Raft than raftsim's core: the core's output stays as it was.
    const std::string impl =
        o.implementation == nullptr || o.implementation == &coreImplementation()
            ? std::string()
            : fmt::format("  raft      {}\n", implementationName(o.implementation));
    return impl + fmt::format(
        "  cluster   nodes={} election={}..{}ms heartbeat={}ms{} batch<={} checkquorum={}{} bugs={}\n"
        "  phases    safety={}ms liveness={}ms\n"
        "  network   latency={}..{}us drop={} duplicate={} reorder={} (up to {}ms)\n"
        "  disk      write={}..{}us\n"
        "  nemesis   kinds={} every~{}ms lasting<={}ms drift<=+-{}%\n"
        "  workload  clients={} keys={} think<={}ms timeout={}ms\n",
        o.nodes, o.electionTimeoutMinUs / 1000, o.electionTimeoutMaxUs / 1000,
        o.heartbeatIntervalUs / 1000, o.emptyHeartbeats ? " (empty)" : "", o.maxEntriesPerAppend,
        o.checkQuorum ? "on" : "off",
        std::string(o.preVote ? " prevote=on" : "") + (transfersOn(o) ? " transfer=on" : "") +
            (readsOf(o) != Reads::Log ? fmt::format(" reads={}", name(readsOf(o))) : "") +
            (readsOf(o) == Reads::Lease && o.leaseDriftBoundPercent >= 0
                 ? fmt::format(" lease-drift-bound={}%", leaseDriftBound(o))
                 : "") +
            (sessionsOn(o) ? " sessions=on" : "") + (o.standingFault ? " standing-fault=on" : "") +
            (snapshotsOf(o) != 0 ? fmt::format(" snapshots=every{}", snapshotsOf(o)) : "") +
            (membershipOn(o) ? fmt::format(" membership=on hosts={}", hostCount(o)) : ""),
        bugs.empty() ? "none" : bugs, o.safetyPhaseUs / 1000,
        o.livenessPhaseUs / 1000, f.latencyMinUs, f.latencyMaxUs, percent(f.dropPpm),
        percent(f.duplicatePpm), percent(f.reorderPpm), f.reorderDelayMaxUs / 1000,
        f.diskLatencyMinUs, f.diskLatencyMaxUs, nemesisList(f), f.nemesisIntervalUs / 1000,
        f.faultDurationMaxUs / 1000, f.driftMaxPercent, o.workload.clients, o.workload.keys,
        o.workload.thinkTimeMaxUs / 1000, o.workload.requestTimeoutUs / 1000);
}

}  // namespace sim
