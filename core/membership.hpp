// Cluster membership as data in the log (thesis §4.1-§4.3), after hashicorp/raft's
// AddVoter, AddNonvoter, DemoteVoter and RemoveServer.
//
// The seam to the environment:
// - A configuration is a log entry of kind EntryKind::Configuration whose `data` holds
//   the voters in bits 0..15 and the learners (non-voting members) in bits 16..31. A
//   node uses the latest configuration in its log as soon as it is appended, committed
//   or not; when truncation removes it, the latest remaining one (else the bootstrap
//   configuration: voters 0..clusterSize-1, or none for a node that joins an existing
//   cluster, Config::joinsCluster). Configuration entries are applied like any other
//   entry; a state machine ignores them (as it ignores no-ops).
// - The operator asks the leader with a ChangeMembership input; the leader answers with
//   a ChangeReply once the configuration entry is in its log (accepted at index, term),
//   or with a refusal. Adding a voter first catches the server up as a learner (§4.2.1).
// - The environment delivers messages to and from any id 0..kMaxNodes-1: a server that
//   is being added receives AppendEntries before it is in any configuration.
#pragma once

#include <optional>
#include <string_view>

#include "core/types.hpp"

namespace raft {

// One configuration: who votes, and who only receives the log.
struct Membership {
    NodeSet voters = 0;
    NodeSet learners = 0;  // disjoint from voters

    NodeSet members() const { return static_cast<NodeSet>(voters | learners); }
    bool isVoter(NodeId id) const { return contains(voters, id); }
    int quorum() const { return countOf(voters) / 2 + 1; }
    // Whether `set` holds a majority of the voters (members that are not voters count for
    // nothing).
    bool hasQuorum(NodeSet set) const { return countOf(set & voters) >= quorum(); }

    friend bool operator==(const Membership&, const Membership&) = default;
};

// The log entry that makes `m` the configuration (term set by the leader), and back.
Entry configurationEntry(const Membership& m);
Membership membershipOf(const Entry& e);

// The changes an operator may ask for (one server at a time, thesis §4.1).
enum class ChangeKind : std::uint8_t {
    AddVoter,      // a new server, or a learner, becomes a voter once caught up (§4.2.1)
    AddLearner,    // a new server receives the log without voting (hashicorp's AddNonvoter)
    DemoteVoter,   // a voter becomes a learner
    RemoveServer,  // a voter or learner leaves the configuration
};

std::string_view name(ChangeKind kind);

// The configuration `current` becomes under the change, or nullopt when the change is
// invalid: an id past kMaxNodes, adding a voter that is one or a learner that is a
// member, demoting a non-voter, removing a non-member, or a result without voters.
std::optional<Membership> changed(const Membership& current, ChangeKind kind, NodeId node);

// Input: an operator asks the leader for a membership change. Answered with a ChangeReply.
struct ChangeMembership {
    ChangeKind kind = ChangeKind::AddVoter;
    NodeId node = kNoNode;
};

// Why a ChangeMembership was refused.
enum class ChangeRefusal : std::uint8_t {
    None,             // accepted
    NotLeader,        // only the leader changes the configuration (or it lost leadership)
    InProgress,       // a change (or a leadership transfer) is under way
    TermNotCommitted, // no entry of the leader's term is committed yet (thesis §4.1 fix)
    CatchUpFailed,    // the new server did not catch up in time (thesis §4.2.1)
    InvalidMember,    // the change makes no sense for this configuration (see `changed`)
};

std::string_view name(ChangeRefusal reason);

// The answer to a ChangeMembership: accepted, with the configuration entry at (index,
// term) of the leader's log (it takes effect there at once and is safe once committed),
// or refused, with a leader hint when the reason is NotLeader.
struct ChangeReply {
    bool accepted = false;
    ChangeKind kind = ChangeKind::AddVoter;
    NodeId node = kNoNode;
    Index index = 0;
    Term term = 0;
    NodeId leaderHint = kNoNode;
    ChangeRefusal reason = ChangeRefusal::None;
};

// At most this many catch-up rounds before a new voter is refused (thesis §4.2.1). A
// round succeeds when it takes less than an election timeout, counted in heartbeats as
// transferTimeoutTicks (core/node.hpp) counts it, so no clock is read.
constexpr int kCatchUpRounds = 10;

}  // namespace raft
