// Everything that shapes one simulated run besides the seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bugs.hpp"
#include "core/io.hpp"
#include "core/types.hpp"

namespace sim {

using raft::Micros;

class Implementation;  // sim/node_seam.hpp

// Fault kinds the nemesis can inject, as bits of FaultConfig::nemesisKinds.
enum class Nemesis : std::uint8_t {
    Partition,         // a random symmetric split into two sides
    OneWay,            // some directed links stop carrying messages
    IsolateOne,        // one node cut off from all others
    MajorityMinority,  // a majority side and a minority side
    Clog,              // a link holds its messages for a while, then releases them
    Crash,             // a node loses its volatile state, restarts later from disk
    Pause,             // a node freezes (a GC stall), then resumes with stale timers
    Drift,             // a node's timers run fast or slow
    Count_,
};

std::string_view name(Nemesis kind);

struct FaultConfig {
    // Network, per message.
    Micros latencyMinUs = 1'000;
    Micros latencyMaxUs = 10'000;
    std::uint32_t dropPpm = 0;       // parts per million
    std::uint32_t duplicatePpm = 0;
    std::uint32_t reorderPpm = 0;    // a message is held back by up to reorderDelayMaxUs
    Micros reorderDelayMaxUs = 100'000;

    // Disk: each write takes this long; a crash loses writes not yet done.
    Micros diskLatencyMinUs = 100;
    Micros diskLatencyMaxUs = 2'000;

    // Nemesis: every nemesisIntervalUs on average, one enabled kind strikes.
    std::uint32_t nemesisKinds = 0;  // bit i = Nemesis(i) enabled
    Micros nemesisIntervalUs = 300'000;
    Micros faultDurationMaxUs = 1'500'000;  // how long a partition, clog, pause or crash lasts
    std::uint32_t driftMaxPercent = 50;     // timers run at 100 +- this percent

    bool has(Nemesis kind) const { return (nemesisKinds >> static_cast<int>(kind)) & 1u; }
    void enable(Nemesis kind) { nemesisKinds |= 1u << static_cast<int>(kind); }
};

struct WorkloadConfig {
    int clients = 3;
    int keys = 3;
    Micros thinkTimeMaxUs = 50'000;   // pause between a client's requests
    Micros requestTimeoutUs = 500'000;
};

// How the clients' gets are served (thesis §6.4; `--reads`): as commands through the log
// like every other request (Log), by the leader's read index without the log (Index), or
// by followers too, through their leader's read index (Follower), or by the leader on its
// lease when it holds one and by the read index otherwise (Lease, thesis §6.4.1: the nodes
// read their drifting clocks, and followers disregard votes while they hear a leader).
enum class Reads : std::uint8_t { Log, Index, Follower, Lease };

std::string_view name(Reads reads);
std::optional<Reads> readsByName(std::string_view text);

struct SimOptions {
    int nodes = 5;
    Micros safetyPhaseUs = 10'000'000;    // faults on
    Micros livenessPhaseUs = 5'000'000;   // faults healed: a leader must commit in this bound
    Micros electionTimeoutMinUs = 150'000;
    Micros electionTimeoutMaxUs = 300'000;
    Micros heartbeatIntervalUs = 50'000;
    std::uint64_t maxEvents = 50'000'000;  // a bound on every loop
    bool checkQuorum = false;
    int maxEntriesPerAppend = 64;  // the message size limit (etcd raft's MaxSizePerMsg)
    bool emptyHeartbeats = false;  // heartbeats carry no entries (raft::Config)
    bool preVote = false;          // PreVote (raft::Config, thesis §9.6)
    // An operator asks the leader to transfer its leadership now and then (thesis §3.10),
    // to a node it names or to the most up-to-date follower (`--transfer`).
    bool transfer = false;
    Reads reads = Reads::Log;
    // Client sessions (thesis §6.3, `--sessions`): clients register, number their
    // commands and retry one without an answer until they get one; the state machine
    // answers a retry from the session.
    bool sessions = false;
    // The liveness phase keeps a standing partial fault instead of healing everything
    // (sim/standing.hpp, `--standing-fault`): a majority stays connected and must keep a
    // leader that commits.
    bool standingFault = false;
    // Membership changes (thesis §4.1-§4.3, `--membership`): spare hosts beyond `nodes`
    // start outside every configuration, and an operator asks for changes now and then.
    bool membership = false;
    // The clock drift the nodes' leases allow for (raft::Config::clockDriftPercent,
    // `--lease-drift-bound`); -1: the drift nemesis's bound. A bound below the nemesis's
    // says the run's clocks may drift beyond what the leases assume.
    int leaseDriftBoundPercent = -1;
    // Log compaction (thesis §5.1, `--snapshots`): each node snapshots its state machine
    // once it has applied this many entries past its last snapshot; 0: never.
    std::uint32_t snapshotEvery = 0;
    FaultConfig faults;
    WorkloadConfig workload;
    raft::BugSet bugs;
    // What each node's disk holds at the start (empty: every disk is empty), e.g. where a
    // scenario left them (`--from-scenario`): the run begins as after a restart of all.
    std::vector<raft::DurableState> initialDisks;
    // The Raft under test (sim/node_seam.hpp); null: raftsim's own core.
    const Implementation* implementation = nullptr;
    // When the run ends, check the clients' history for linearizability (sim/lin/). Off
    // only to measure what the check costs (`--no-lin`).
    bool checkLinearizability = true;
};

// Swarm testing: the seed decides which fault kinds are on and how hard they strike.
FaultConfig swarmFaults(std::uint64_t seed);
// The same for the cluster's protocol knobs: message size limit and heartbeat style.
// A small limit makes a catching-up follower acknowledge old entries a chunk at a time.
void swarmCluster(std::uint64_t seed, SimOptions& options);

// The cluster size of a seed, in lo..hi, from a stream of its own (a fixed size when
// lo == hi draws nothing). Small clusters (one or two nodes) have bugs of their own.
int swarmNodes(std::uint64_t seed, int lo, int hi);

// Whether a seed runs with PreVote, when the swarm chooses (`--pre-vote swarm`): from a
// stream of its own, so no other choice of the seed moves.
bool swarmPreVote(std::uint64_t seed);

// The same for leadership transfers (`--transfer swarm`), from a stream of its own.
bool swarmTransfer(std::uint64_t seed);

// The way a seed serves its reads, when the swarm chooses (`--reads swarm`): one of the
// four, from a stream of its own.
Reads swarmReads(std::uint64_t seed);
// The clock drift a run's leases allow for (raft::Config::clockDriftPercent): as the run
// says (`--lease-drift-bound`), else the most the drift nemesis can skew a clock, 0 when
// it is off.
int leaseDriftBound(const SimOptions& options);

// How a run serves reads: as asked, or as a bug switch that lives in reads needs them.
Reads readsOf(const SimOptions& options);
// Whether a bug switch lives in reads (it shows only when gets bypass the log).
bool livesInReads(raft::Bug bug);
// Whether a bug switch lives in leases (thesis §6.4.1; it shows only with lease reads).
bool livesInLeases(raft::Bug bug);

// Whether a seed runs with client sessions, when the swarm chooses (`--sessions swarm`):
// from a stream of its own.
bool swarmSessions(std::uint64_t seed);
// The snapshot interval of a seed, when the swarm chooses (`--snapshots swarm`): 0 (off)
// for half the seeds, else 4..64 entries, from a stream of its own.
std::uint32_t swarmSnapshots(std::uint64_t seed);
// The interval of `--snapshots on`: small enough that lagging followers need a snapshot.
inline constexpr std::uint32_t kSnapshotEvery = 32;
// Whether a run's nodes compact their logs: asked for, or a bug switch that lives in
// snapshots (it shows only with them).
std::uint32_t snapshotsOf(const SimOptions& options);
bool livesInSnapshots(raft::Bug bug);

// Whether a run's clients have sessions: asked for, or a bug switch that lives in them.
bool sessionsOn(const SimOptions& options);
// Whether a bug switch lives in client sessions (it shows only with sessions).
bool livesInSessions(raft::Bug bug);

// Whether a run's operator transfers leadership: asked for, or a bug switch that lives
// in leadership transfer (it would never show without transfers).
bool transfersOn(const SimOptions& options);
// Whether a bug switch lives in leadership transfer (it shows only with transfers).
bool livesInTransfer(raft::Bug bug);

// Whether a seed runs with membership changes (`--membership swarm`), from a stream of
// its own.
bool swarmMembership(std::uint64_t seed);
// Whether a run changes its membership: asked for, or a bug switch that lives there.
bool membershipOn(const SimOptions& options);
// Whether a bug switch lives in membership changes (it shows only with them).
bool livesInMembership(raft::Bug bug);
// The hosts of a run: `nodes`, and with membership changes up to kSpareHosts spares
// (ids nodes.., never past kMaxNodes) that start outside every configuration.
constexpr int kSpareHosts = 2;
int hostCount(const SimOptions& options);

// A multi-line, human-readable description of the options (printed beside the seed).
std::string describe(const SimOptions& options);

}  // namespace sim
