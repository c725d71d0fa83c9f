// The bounds of one exhaustive check: what the model checker may do and how far.
// A successor state outside the bounds is not part of the model (TLC's state
// constraint): it is neither counted nor explored.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/bugs.hpp"
#include "core/config.hpp"

namespace mc {

constexpr int kMaxNodes = 5;     // symmetry enumerates all N! permutations
constexpr int kMaxTerm = 15;     // leaderOf history is packed 4 bits per term
constexpr int kMaxLog = 8;       // committed history is one word per index
constexpr int kMaxCopies = 15;   // a bag item's count is packed in 4 bits
constexpr int kMaxValues = 255;  // client values are packed in 8 bits
constexpr int kMaxReads = 8;     // reads over a path: State keeps each one's floor
constexpr int kMaxTransfers = 15;
constexpr int kMaxConfigChanges = 15;
constexpr int kMaxSnapshots = 15;

struct Bounds {
    int nodes = 3;
    int maxTerm = 2;         // no election timer fires into a term beyond this
    int maxLog = 2;          // no node's log grows beyond this (leader no-ops count)
    int maxCopies = 1;       // copies of one message in flight
    int maxBatch = kMaxLog;  // entries in one AppendEntries (1: one entry at a time)
    int maxCrashes = 0;      // crashes in total; a crashed node may restart
    bool drop = false;       // drop an in-flight message
    bool duplicate = false;  // add a copy of an in-flight message
    // Each directed link delivers in the order it was sent, as a TCP stream does: only
    // the oldest message on a link may arrive (any may be dropped). A message the same as
    // one still on its link is not sent again (as --max-copies 1). Needs --max-copies 1
    // and no --duplicate.
    bool fifo = false;
    int values = 1;          // distinct client values, each proposable to a leader
    bool symmetry = true;    // canonicalize states under permutations of node ids
    bool dropDead = true;    // drop messages whose delivery can change nothing (dead.hpp)
    bool emptyHeartbeats = false;  // heartbeats carry no entries (raft::Config::emptyHeartbeats)
    bool checkQuorum = false;
    // Writes take steps of their own: a node's writes stay pending, in order, until a
    // disk event completes the oldest; what the node sent after a write waits for it,
    // and a crash loses the pending writes and what waits on them (thesis §3.8). Off:
    // writes are durable within the step. On, symmetry and the dead-message reduction
    // are not used.
    bool asyncWrites = false;      // a leader's election timer checks for a quorum (raft::Config::checkQuorum)
    bool preVote = false;  // PreVote (raft::Config::preVote, thesis §9.6)
    bool followerReads = false;  // followers serve reads via their leader (raft::Config::followerReads)
    // At most this many TransferLeadership inputs over a path, each at a leader, to a
    // named follower or to the most up-to-date one (thesis §3.10).
    int transfers = 0;
    // At most this many Read inputs over a path, each at any node that is up (thesis §6.4).
    int reads = 0;
    // Servers beyond the `nodes` initial voters (ids nodes..nodes+spares-1), started
    // outside the configuration (raft::Config::joinsCluster) until a change adds them.
    int spares = 0;
    // At most this many ChangeMembership inputs over a path, each at a leader: add any
    // server as voter or learner, demote a voter, remove a member, the leader included
    // (thesis §4.1-§4.3; sim/mc/model_config.cpp).
    int configChanges = 0;
    // At most this many TakeSnapshot inputs over a path, each at a node's applied index
    // (thesis §5.1); a leader installs its snapshot on a follower it lacks entries for.
    int snapshots = 0;
    raft::BugSet bugs;

    // Every server the model runs: the initial voters and the spares.
    int servers() const { return nodes + spares; }
    // Whether configurations or snapshots can change: a path's records then show them.
    bool changesConfigOrLog() const { return spares > 0 || configChanges > 0 || snapshots > 0; }

    // Whether the nodes run PreVote: asked for, or a bug switch that lives in it.
    bool preVoteOn() const { return preVote || bugs.has(raft::Bug::PreVoteCountedAsVote); }
    // Whether followers serve reads: asked for, or a bug switch that lives in them.
    bool followerReadsOn() const {
        return followerReads || bugs.has(raft::Bug::ReadIndexBeforeTermCommit) ||
               bugs.has(raft::Bug::FollowerReadBeforeApply);
    }

    // The node's static config; throws std::invalid_argument on bounds out of range.
    raft::Config configFor(raft::NodeId id) const;
    // Empty when valid, else what is wrong.
    std::string validate() const;
    // As flags that would give these bounds again.
    std::string describe() const;
};

struct Preset {
    std::string_view name;
    std::string_view description;
    Bounds bounds;
};

std::span<const Preset> presets();
std::optional<Bounds> presetByName(std::string_view name);

}  // namespace mc
