// How each violation of a catalogued property (sim/property.hpp) is explained: one
// function per way a property breaks, returning the property with its one-line
// message. Both engines' checkers report through these, so a property reads the same
// wherever it is found.
#pragma once

#include <string>

#include "core/node.hpp"
#include "sim/property.hpp"

namespace sim {

struct Finding {
    Property property;
    std::string details;  // the nodes and values involved, one line
};

namespace findings {

// A set of node ids as findings and explanations print it: "{0,2,3}".
std::string idSet(raft::NodeSet set);

using raft::Index;
using raft::NodeId;
using raft::Term;

Finding twoLeaders(NodeId first, NodeId second, Term term);
Finding leaseOutlived(NodeId leader, Term term, NodeId later, Term laterTerm, Index readIndex);
Finding leaderRewrote(NodeId leader, Term term, Index firstIndex, Index lastIndex);
// `other` is the node whose entry differs, when the checker knows it.
Finding logsDiffer(NodeId node, Index index, Term term, NodeId other = raft::kNoNode);
Finding leaderLacksCommitted(NodeId leader, Term term, Index mustHold, Index lastIndex,
                             Term lastTerm);
Finding differentCommit(NodeId node, Index index, Term term);
Finding higherTermKept(NodeId node, raft::Role role, Term term, Term messageTerm);
Finding termDecreased(NodeId node, Term from, Term to);
Finding termRestartedBelowDurable(NodeId node, Term term, Term durable);
Finding termPersistedBelow(NodeId node, Term persisted, Term earlier);
Finding commitDecreased(NodeId node, Index from, Index to);
Finding committedWithoutQuorum(Index index, NodeId lacking, Index lastIndex, Term lastTerm,
                               int votes, int nodes);
Finding coreInvariant(std::string what);
// Log compaction: node `node`'s state machine at `index` (as `where` says: applied, a
// snapshot taken, installed or restored) hashes to `hash`, another's to `expected`.
Finding stateDiffers(NodeId node, Index index, std::string_view where, std::uint64_t hash,
                     std::uint64_t expected);
Finding snapshotUncommitted(NodeId node, Index index, Index committed);
// The model's part of snapshot consistency: the entry a snapshot ends at is not the one
// committed at its index.
Finding snapshotBaseDiffers(NodeId node, Index index, Term term, Term committedTerm);
Finding secondVote(NodeId voter, Term term, NodeId first, NodeId second);
Finding voteNotDurable(NodeId voter, Term term, NodeId candidate, Term diskTerm,
                       NodeId diskVote);
Finding ackNotDurable(NodeId node, Index matchIndex, Index diskLastIndex);
// What a node believes it persisted (term, vote, lastIndex) against what its disk holds.
Finding diskDiffers(NodeId node, Term term, NodeId votedFor, Index lastIndex, Term diskTerm,
                    NodeId diskVotedFor, Index diskLastIndex);
Finding appliedOutOfOrder(NodeId node, Index firstIndex, Index applied);
Finding noProgressAfterHeal(raft::Micros phaseUs, std::string nodes);
// Under a standing partial fault (sim/standing.hpp, described by `fault`), the majority
// never had a leader that committed an entry of its own term in the liveness phase.
Finding standingFaultNoLeader(const std::string& fault, raft::Micros phaseUs, std::string nodes);
// Under a standing partial fault, after its first such leader, the majority went `gapMilliTimeouts` thousandths of an election timeout without a leader of its own
// that had committed an entry of its term, over the bound of `boundTimeouts`.
Finding standingFaultStalled(const std::string& fault, std::int64_t gapMilliTimeouts,
                             int boundTimeouts, bool stillStalled, std::string nodes);
Finding proposalAcceptedDuringTransfer(NodeId leader, Term term, NodeId target, Index index);
// Membership changes (sim/checker_membership.cpp).
Finding uncommittedConfigurations(NodeId leader, Term term, Index first, Index second, Index commitIndex);
Finding removedLeaderLeads(NodeId leader, Term term, raft::NodeSet voters, Index membershipIndex,
                           Index commitIndex, int heartbeats, int bound);
// The model checker's form (it has no time): a leader whose removal is committed leads on.
Finding removedLeaderStillLeads(NodeId leader, Term term, raft::NodeSet voters, Index membershipIndex,
                                Index commitIndex);
Finding committedWithoutConfigQuorum(Index index, NodeId candidate, raft::NodeSet voters, Index lastIndex,
                                     Term lastTerm, int votes, int quorum);
Finding transferNotEnded(NodeId leader, Term term, NodeId target, int heartbeats, int bound);
Finding staleTimeoutNowActedOn(NodeId node, NodeId from, Term messageTerm, Term termBefore,
                               Term termAfter);
// A read answered at `node` (seq `seq`, read index `readIndex`) from a state machine
// applied to `applied`, below `floor`, the highest index committed when it was invoked.
Finding staleRead(NodeId node, std::uint32_t seq, Index readIndex, Index applied, Index floor);

}  // namespace findings
}  // namespace sim
