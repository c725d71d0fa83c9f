// Log compaction (thesis §5.1-§5.3, Raft paper §7 and figure 13): what a snapshot is to
// the protocol, the input by which the environment asks for one, and the actions by
// which the node has it persisted and its state machine restored.
//
// The node never holds the state machine's bytes: the environment owns the state
// machine, so it serializes it, keeps the bytes under a handle of its choosing, and
// carries them between nodes alongside InstallSnapshot. The protocol needs only the
// metadata, the handle to name the bytes and a hash to check them; a node that copied
// the bytes would make every node copy (the model checker makes millions) pay for them.
#pragma once

#include <cstdint>

#include "core/types.hpp"

namespace raft {

// What a snapshot replaces (thesis §5.1, figure 5.1): the log up to and including
// (lastIncludedIndex, lastIncludedTerm), and the configuration in effect there.
struct SnapshotMeta {
    Index lastIncludedIndex = 0;
    Term lastIncludedTerm = 0;
    // The configuration as of lastIncludedIndex (thesis §4.1, §5.1): the latest
    // configuration entry at or before it, else the bootstrap one.
    NodeSet voters = 0;
    NodeSet learners = 0;

    friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
};

// A snapshot as the node knows it: the metadata, and the environment's names for the
// bytes. handle 0 with lastIncludedIndex 0 is "no snapshot".
struct Snapshot {
    SnapshotMeta meta;
    std::uint64_t handle = 0;  // the environment's name for the state machine's bytes
    std::uint64_t hash = 0;    // a hash of those bytes, for the receiver to check them

    bool empty() const { return meta.lastIncludedIndex == 0; }

    friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

// ---- Input ----

// The environment has snapshotted its state machine as applied up to `index` and asks
// the node to discard its log up to there (thesis §5.1). The index must be applied
// (index <= lastApplied): a state machine cannot have saved what it has not applied, so
// a larger index is an environment bug and asserts. An index at or before the node's
// current snapshot is ignored: a newer snapshot (one a leader installed, say) arrived
// while the environment was taking this one, and the node already has better.
struct TakeSnapshot {
    Index index = 0;
    std::uint64_t handle = 0;
    std::uint64_t hash = 0;
};

// ---- Actions ----

// The durable snapshot becomes `snapshot`, and the durable log keeps only its entries
// after snapshot.meta.lastIncludedIndex when `keepLog`, none when not (figure 13 step 7:
// a log that disagrees with the snapshot is discarded whole). Like every Persist* action
// it must be durable before any later Send, Apply or reply of the same step is visible:
// the acknowledgement of an InstallSnapshot follows it (thesis §3.8).
struct PersistSnapshot {
    Snapshot snapshot;
    bool keepLog = true;
};

// The environment resets its state machine to the snapshot's bytes (figure 13 step 8):
// it then reflects the entries up to snapshot.meta.lastIncludedIndex, and the next Apply
// starts right after it. Comes before any Apply of later entries. Emitted when a node
// installs a leader's snapshot and when a node restarts from a durable snapshot.
struct RestoreSnapshot {
    Snapshot snapshot;
};

}  // namespace raft
