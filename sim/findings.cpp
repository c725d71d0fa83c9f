#include "sim/findings.hpp"

#include <fmt/format.h>

namespace sim::findings {

namespace {

int shown(NodeId id) { return static_cast<int>(id); }  // kNoNode prints as 255

}  // namespace

Finding twoLeaders(NodeId first, NodeId second, Term term) {
    return {Property::ElectionSafety,
            fmt::format("nodes {} and {} are both leaders of term {}", first, second, term)};
}

Finding leaderRewrote(NodeId leader, Term term, Index firstIndex, Index lastIndex) {
    return {Property::LeaderAppendOnly,
            fmt::format("leader {} of term {} rewrote its log from index {} (lastIndex was {})",
                        leader, term, firstIndex, lastIndex)};
}

Finding logsDiffer(NodeId node, Index index, Term term, NodeId other) {
    const std::string whose =
        other == raft::kNoNode ? std::string("another node's") : fmt::format("node {}'s", other);
    return {Property::LogMatching,
            fmt::format("node {} holds an entry at index {} term {} whose log differs from {} "
                        "entry at the same index and term",
                        node, index, term, whose)};
}

Finding leaderLacksCommitted(NodeId leader, Term term, Index mustHold, Index lastIndex,
                             Term lastTerm) {
    return {Property::LeaderCompleteness,
            fmt::format("leader {} of term {} lacks committed entries up to index {} "
                        "(its lastIndex={}, lastTerm={})",
                        leader, term, mustHold, lastIndex, lastTerm)};
}

Finding differentCommit(NodeId node, Index index, Term term) {
    return {Property::StateMachineSafety,
            fmt::format("node {} committed a different entry at index {} (term {}) than "
                        "another node did",
                        node, index, term)};
}

Finding higherTermKept(NodeId node, raft::Role role, Term term, Term messageTerm) {
    return {Property::HigherTermAdopted,
            fmt::format("node {} ({} of term {}) received a message of term {} and kept its term",
                        node, raft::name(role), term, messageTerm)};
}

Finding termDecreased(NodeId node, Term from, Term to) {
    return {Property::TermMonotonic,
            fmt::format("node {} currentTerm went from {} to {}", node, from, to)};
}

Finding termRestartedBelowDurable(NodeId node, Term term, Term durable) {
    return {Property::TermMonotonic,
            fmt::format("node {} restarted at term {} after persisting term {}", node, term,
                        durable)};
}

Finding termPersistedBelow(NodeId node, Term persisted, Term earlier) {
    return {Property::TermMonotonic,
            fmt::format("node {} persisted term {} after persisting term {}", node, persisted,
                        earlier)};
}

Finding commitDecreased(NodeId node, Index from, Index to) {
    return {Property::CommitMonotonic,
            fmt::format("node {} commitIndex went from {} to {}", node, from, to)};
}

Finding committedWithoutQuorum(Index index, NodeId lacking, Index lastIndex, Term lastTerm,
                               int votes, int nodes) {
    return {Property::CommitQuorum,
            fmt::format("index {} was committed, but node {} (lastIndex={}, lastTerm={}) lacks "
                        "it and its log is as up to date as {} of {} nodes' logs, so it can "
                        "still be elected and overwrite it",
                        index, lacking, lastIndex, lastTerm, votes, nodes)};
}

Finding committedWithoutConfigQuorum(Index index, NodeId candidate, raft::NodeSet voters, Index lastIndex,
                                     Term lastTerm, int votes, int quorum) {
    return {Property::CommitQuorum,
            fmt::format("index {} was committed, but node {} (lastIndex={}, lastTerm={}) lacks "
                        "it and its log is as up to date as {} of the {} voters of its "
                        "configuration {} (a quorum is {}), so it can still be elected and "
                        "overwrite it",
                        index, candidate, lastIndex, lastTerm, votes, raft::countOf(voters), idSet(voters),
                        quorum)};
}

Finding coreInvariant(std::string what) { return {Property::CoreInvariant, std::move(what)}; }

Finding secondVote(NodeId voter, Term term, NodeId first, NodeId second) {
    return {Property::SingleVote,
            fmt::format("node {} granted its vote in term {} to {} and then to {}", voter, term,
                        first, second)};
}

Finding voteNotDurable(NodeId voter, Term term, NodeId candidate, Term diskTerm,
                       NodeId diskVote) {
    return {Property::DurableBeforeAck,
            fmt::format("node {} granted its vote in term {} to {} while its disk holds term {} "
                        "votedFor {}",
                        voter, term, candidate, diskTerm, shown(diskVote))};
}

Finding ackNotDurable(NodeId node, Index matchIndex, Index diskLastIndex) {
    return {Property::DurableBeforeAck,
            fmt::format("node {} acknowledged entries up to index {} while its disk holds {}", node,
                        matchIndex, diskLastIndex)};
}

Finding stateDiffers(NodeId node, Index index, std::string_view where, std::uint64_t hash,
                     std::uint64_t expected) {
    return {Property::SnapshotConsistency,
            fmt::format("node {}'s state machine at index {} ({}) hashes to {:016x}, another "
                        "node's or snapshot's at that index to {:016x}",
                        node, index, where, hash, expected)};
}

Finding snapshotBaseDiffers(NodeId node, Index index, Term term, Term committedTerm) {
    return {Property::SnapshotConsistency,
            fmt::format("node {}'s snapshot ends at index {} of term {}, but the entry committed at "
                        "{} is of term {}: a snapshot holds only committed entries",
                        node, index, term, index, committedTerm)};
}

Finding snapshotUncommitted(NodeId node, Index index, Index committed) {
    return {Property::SnapshotConsistency,
            fmt::format("node {} holds a snapshot up to index {}, but only {} entries were ever "
                        "committed",
                        node, index, committed)};
}

Finding diskDiffers(NodeId node, Term term, NodeId votedFor, Index lastIndex, Term diskTerm,
                    NodeId diskVotedFor, Index diskLastIndex) {
    return {Property::Durability,
            fmt::format("node {} believes term={} votedFor={} lastIndex={} but its disk holds "
                        "term={} votedFor={} lastIndex={}",
                        node, term, shown(votedFor), lastIndex, diskTerm, shown(diskVotedFor),
                        diskLastIndex)};
}

Finding appliedOutOfOrder(NodeId node, Index firstIndex, Index applied) {
    return {Property::ApplyOnceInOrder,
            fmt::format("node {} applies from index {} after applying up to {}", node, firstIndex,
                        applied)};
}

std::string idSet(raft::NodeSet set) {
    std::string s;
    for (; set != 0; set &= static_cast<raft::NodeSet>(set - 1)) {
        s += fmt::format("{}{}", s.empty() ? "" : ",", __builtin_ctz(set));
    }
    return "{" + s + "}";
}

Finding noProgressAfterHeal(raft::Micros phaseUs, std::string nodes) {
    return {Property::Liveness,
            fmt::format("no leader committed an entry of its own term within {}ms of the heal;{}",
                        phaseUs / 1000, nodes)};
}

Finding standingFaultNoLeader(const std::string& fault, raft::Micros phaseUs, std::string nodes) {
    return {Property::Liveness,
            fmt::format("under the standing fault {} the majority had no leader that committed an entry of "
                        "its own term within {}ms of the heal;{}",
                        fault, phaseUs / 1000, nodes)};
}

Finding standingFaultStalled(const std::string& fault, std::int64_t gapMilliTimeouts,
                             int boundTimeouts, bool stillStalled, std::string nodes) {
    return {Property::Liveness,
            fmt::format("under the standing fault {} the majority {} {:.2f} election timeouts without a "
                        "leader that committed an entry of its own term (bound {});{}",
                        fault, stillStalled ? "has gone" : "went", gapMilliTimeouts / 1000.0,
                        boundTimeouts, nodes)};
}

Finding proposalAcceptedDuringTransfer(NodeId leader, Term term, NodeId target, Index index) {
    return {Property::TransferRefusesProposals,
            fmt::format("leader {} of term {} accepted a proposal at index {} while transferring "
                        "its leadership to {}",
                        leader, term, index, target)};
}

Finding removedLeaderStillLeads(NodeId leader, Term term, raft::NodeSet voters, Index membershipIndex,
                                Index commitIndex) {
    return {Property::RemovedLeaderStepsDown,
            fmt::format("leader {} of term {} still leads after the configuration at {} (voters {}, "
                        "without it) committed (commitIndex={}): it steps down in the step that commits it",
                        leader, term, membershipIndex, idSet(voters), commitIndex)};
}

Finding transferNotEnded(NodeId leader, Term term, NodeId target, int heartbeats, int bound) {
    return {Property::TransferEnds,
            fmt::format("leader {} of term {} still transfers its leadership to {} after {} of its "
                        "heartbeats (an election timeout is {})",
                        leader, term, target, heartbeats, bound)};
}

Finding leaseOutlived(NodeId leader, Term term, NodeId later, Term laterTerm, Index readIndex) {
    return {Property::LeaseExclusive,
            fmt::format("leader {} of term {} served a read on its lease (read index {}) after node "
                        "{} was elected leader of term {}",
                        leader, term, readIndex, later, laterTerm)};
}

Finding staleTimeoutNowActedOn(NodeId node, NodeId from, Term messageTerm, Term termBefore,
                               Term termAfter) {
    return {Property::TimeoutNowCurrentTerm,
            fmt::format("node {} at term {} started an election (term {}) on a TimeoutNow of term {} "
                        "from {}",
                        node, termBefore, termAfter, messageTerm, from)};
}

Finding staleRead(NodeId node, std::uint32_t seq, Index readIndex, Index applied, Index floor) {
    return {Property::ReadFreshness,
            fmt::format("node {} answered read {} at read index {} with its state machine applied to {}, "
                        "but index {} was committed before the read was invoked",
                        node, seq, readIndex, applied, floor)};
}

}  // namespace sim::findings
