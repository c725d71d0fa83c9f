// What goes into a node (Input) and what comes out (Action).
//
// Durability contract (thesis §3.8): actions are listed in the order the environment
// must carry them out. A Persist* action must be durable before any later Send,
// Apply or ProposeReply of the same step becomes visible; timers need not wait. When a
// write has completed, the environment tells the node with a Persisted input.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "core/membership.hpp"
#include "core/message.hpp"
#include "core/snapshot.hpp"
#include "core/types.hpp"

namespace raft {

enum class Timer : std::uint8_t {
    Election,   // followers and candidates: start an election when it fires
    Heartbeat,  // leaders: send AppendEntries to every follower when it fires
};

// ---- Inputs ----

struct Start {};  // the node (re)started from its durable state
struct Receive { Message message; };
// localTimeUs: the node's own clock when the input arrives, for leases (thesis §6.4.1);
// a node without leaseReads never reads it. The clock is monotonic and may drift from
// real time within the bound in Config::clockDriftPercent.
struct Timeout {
    Timer timer;
    Micros localTimeUs = 0;
};
struct Propose { Entry entry; };  // a client command; term and kind are set by the leader
// Several commands at once: one log write and one message per follower for all of them.
struct ProposeBatch { std::vector<Entry> entries; };

// The environment's report, after each of the node's writes completes, of what its
// disk now holds: the durable currentTerm and the last entry of the durable log
// (thesis §3.8, §10.2.1). A node counts itself in a quorum only for what is durable:
// a candidate its own vote once its term is on disk, a leader its own log up to the
// durable entry. Until then, a crash could take back what it counted.
struct Persisted {
    Term currentTerm = 0;
    Index lastIndex = 0;
    Term lastTerm = 0;
};

// Leadership transfer (thesis §3.10): an operator asks the leader to hand leadership to
// `target`, or with kNoNode to the most up-to-date follower (highest matchIndex, ties to
// the lowest id). Answered with a TransferReply.
struct TransferLeadership { NodeId target = kNoNode; };

// A read-only query (thesis §6.4): answered with a ReadReply once the state machine, as
// applied when the reply is carried out, reflects every write committed before the read
// arrived. Nothing enters the log. (clientId, seq) name it in the reply.
struct Read {
    std::uint32_t clientId = 0;
    std::uint32_t seq = 0;
    Micros localTimeUs = 0;  // the node's own clock, as in Timeout (leases, §6.4.1)
};

// Start: a node restarted from a durable snapshot first emits RestoreSnapshot.
// TakeSnapshot: log compaction (core/snapshot.hpp).
using Input = std::variant<Start, Receive, Timeout, Propose, ProposeBatch, Persisted,
                           TransferLeadership, Read, ChangeMembership, TakeSnapshot>;

// ---- Actions ----

struct PersistHardState {
    Term currentTerm = 0;
    NodeId votedFor = kNoNode;
};

// The durable log becomes: its entries before firstIndex, then `entries`. (firstIndex is
// always after the durable snapshot's last included index.)
struct PersistEntries {
    Index firstIndex = 1;
    std::vector<Entry> entries;
};

struct Send { Message message; };

// Committed entries firstIndex..lastIndex, in order, each exactly once. They are not
// copied: the environment reads them from the node's log, which holds them unchanged
// until the node's next step (an environment that applies later copies them first).
struct Apply {
    Index firstIndex = 1;
    Index lastIndex = 0;

    Index count() const { return lastIndex + 1 - firstIndex; }
};

struct ArmTimer {
    Timer timer;
    Micros minUs;
    Micros maxUs;
};

struct CancelTimer { Timer timer; };

// The answer to a Propose: accepted at (index, term), or refused with a leader hint.
struct ProposeReply {
    bool accepted = false;
    Index index = 0;
    Term term = 0;
    NodeId leaderHint = kNoNode;
    std::uint32_t clientId = 0;
    std::uint32_t seq = 0;
};

// Why a TransferLeadership was refused.
enum class TransferRefusal : std::uint8_t {
    None,          // accepted
    NotLeader,     // only the leader transfers its leadership
    UnknownTarget, // not a voter of this cluster
    SelfTarget,    // the leader itself, or no follower to hand over to
    InProgress,    // a transfer is already under way
};

std::string_view name(TransferRefusal reason);

// The answer to a TransferLeadership: accepted (the transfer to `target` is under way;
// it ends when the target wins an election or after an election timeout), or refused.
struct TransferReply {
    bool accepted = false;
    NodeId target = kNoNode;  // accepted: the chosen follower; refused: as asked
    TransferRefusal reason = TransferRefusal::None;
};

// The answer to a Read. Accepted: the environment answers the query from its state
// machine now, which has applied at least up to `index` (the read index). Refused: this
// node cannot serve it (not the leader, or leadership was lost meanwhile), with a hint.
struct ReadReply {
    bool accepted = false;
    bool onLease = false;  // served on the leader's lease, without a round (§6.4.1)
    Index index = 0;
    NodeId leaderHint = kNoNode;
    std::uint32_t clientId = 0;
    std::uint32_t seq = 0;
};

// PersistSnapshot and RestoreSnapshot: log compaction (core/snapshot.hpp).
using Action = std::variant<PersistHardState, PersistEntries, Send, Apply, ArmTimer,
                            CancelTimer, ProposeReply, TransferReply, ReadReply, ChangeReply,
                            PersistSnapshot, RestoreSnapshot>;
using Actions = std::vector<Action>;

// What a restarted node recovers from stable storage: its log is the snapshot (none when
// empty) followed by `log`, the entries at snapshot.meta.lastIncludedIndex + 1 on.
struct DurableState {
    Term currentTerm = 0;
    NodeId votedFor = kNoNode;
    std::vector<Entry> log;
    Snapshot snapshot;

    friend bool operator==(const DurableState&, const DurableState&) = default;
};

}  // namespace raft
