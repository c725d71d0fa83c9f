// Coverage counts: what a run actually did, so a green run that did nothing shows.
#pragma once

#include <array>
#include <cstdint>

#include "sim/network.hpp"
#include "sim/options.hpp"

namespace sim {

struct RunStats {
    std::uint64_t events = 0;
    std::uint64_t leadersElected = 0;
    std::uint64_t leaderChanges = 0;   // a new leader other than the previous one
    std::uint64_t maxTerm = 0;
    std::uint64_t entriesCommitted = 0;  // highest commitIndex any node reached
    std::uint64_t timeouts = 0;          // election timers that fired
    std::uint64_t restarts = 0;
    std::uint64_t clientOk = 0;
    std::uint64_t clientFail = 0;
    std::uint64_t clientInfo = 0;
    // Leadership transfers (runs with them): asked of a running node, accepted, and
    // leaders elected in an election that a TimeoutNow started.
    std::uint64_t transfersAsked = 0;
    std::uint64_t transfersAccepted = 0;
    std::uint64_t transfersCompleted = 0;
    // Reads served without the log (runs with --reads index or follower).
    std::uint64_t readsServed = 0;
    std::uint64_t readsOnLease = 0;  // of those, served on the leader's lease (§6.4.1)
    // Client sessions (runs with --sessions; sim::SessionCounts): sessions registered,
    // commands retried under the same number, retries answered from the session, and
    // "session expired" answers.
    std::uint64_t sessionsRegistered = 0;
    std::uint64_t sessionRetries = 0;
    std::uint64_t sessionDuplicates = 0;
    std::uint64_t sessionsExpired = 0;
    // Log compaction (runs with --snapshots): snapshots nodes took of their state
    // machines, and snapshots followers installed from a leader (InstallSnapshot).
    std::uint64_t snapshotsTaken = 0;
    std::uint64_t snapshotsInstalled = 0;
    // Membership changes (runs with --membership): changes asked of a running node, and
    // its replies, accepted or refused by reason (indexed by raft::ChangeRefusal).
    std::uint64_t membershipAsked = 0;
    std::uint64_t membershipAccepted = 0;
    std::array<std::uint64_t, 6> membershipRefused{};
    std::array<std::uint64_t, static_cast<int>(Nemesis::Count_)> nemesis{};
    NetworkStats network;
    Micros livenessRecoveryUs = -1;  // from heal to a commit in a leader's own term
    // The same in the unit of the bound (sim/recovery.hpp): thousandths of the shortest
    // election timeout (electionTimeoutMinUs), a whole number so sweeps merge exactly,
    // counted from the end of the last fault (the heal, or a pause that outlasts it).
    std::int64_t livenessRecoveryMilliTimeouts = -1;
    // Elections from the heal until that commit (or the end): terms started, counted as a
    // node moving to a higher term as candidate, or as leader at once when it is a quorum
    // alone (pre-votes start no term and are not counted).
    std::uint64_t livenessElections = 0;
    // Runs with a standing partial fault (sim/standing.hpp): the longest time the
    // connected majority went without a leader that committed an entry of its own term,
    // after it first had one, in thousandths of an election timeout (up to the end of the
    // run); -1: no standing fault.
    std::int64_t standingMaxGapMilliTimeouts = -1;
    Micros endUs = 0;
};

}  // namespace sim
