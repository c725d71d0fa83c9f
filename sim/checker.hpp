// Raft's safety properties and LogCabin-style transition checks, run after every event.
// Incremental: each check costs O(1) or O(entries changed), never a scan of whole logs.
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <span>
#include <vector>

#include "core/io.hpp"
#include "core/node.hpp"
#include "sim/entry_prefixes.hpp"
#include "sim/findings.hpp"
#include "sim/node_seam.hpp"
#include "sim/violation.hpp"

namespace sim {

class Checker {
public:
    explicit Checker(int nodes);

    void setContext(std::uint64_t event, raft::Micros timeUs) {
        event_ = event;
        timeUs_ = timeUs;
    }

    // After `node` stepped from `before` to `after`, emitting `actions`.
    void afterStep(const NodeView& before, const NodeView& after, const NodeUnderTest& node,
                   std::span<const raft::Action> actions);
    // After a node handled a message of term `term`: a node that learns of a higher term
    // adopts it, and a leader or candidate steps down (§5.1, figure 2).
    void afterReceive(raft::Term term, const NodeView& node) {
        if (node.currentTerm < term) reportTermKept(term, node);  // inline: every delivery
    }
    // After a node restarted from durable state (before its Start input), its log after
    // a snapshot up to `snapshotIndex` (0: none).
    void afterRestart(const NodeUnderTest& node, raft::Index snapshotIndex = 0);
    // A node's first start, from `disk` (empty, or given to the run): its log's entries
    // take part in log matching and its term is durable.
    void afterStart(const NodeUnderTest& node, const raft::DurableState& disk);
    // After one of the node's writes became durable. The durable term never decreases;
    // once no write is in flight, the disk holds what the node believes it persisted.
    // `view` is the node's current view (the world keeps it from the node's last step).
    void afterDiskWrite(const NodeView& view, const NodeUnderTest& node,
                        const raft::DurableState& durable, bool allWritesDone);

    // A reply left its node: a granted vote or an append acknowledgement only once what
    // it promises is on the node's disk (thesis §3.8).
    void onReplySent(const raft::Message& m, const raft::DurableState& disk) {
        if (m.success) checkPromise(m, disk);  // inline: every send, and most promise nothing
    }
    // A granted vote left its node: at most one per node and term, across restarts.
    void onVoteSent(raft::NodeId voter, raft::Term term, raft::NodeId candidate);

    // Committed entries reach the state machine in order, each exactly once.
    void reportApplyOrder(raft::NodeId id, raft::Index firstIndex, raft::Index applied) {
        fail(findings::appliedOutOfOrder(id, firstIndex, applied));
    }

    // A node's step tripped an invariant assertion (raft::InvariantFailure::what()).
    void reportCoreInvariant(std::string details) { fail(findings::coreInvariant(std::move(details))); }

    // Leadership transfer (thesis §3.10). A transfer lasts at most `heartbeats` of its
    // leader's heartbeats (an election timeout and slack).
    void setTransferBound(int heartbeats) { transferBound_ = heartbeats; }
    // The node's heartbeat timer fired and it stepped: one more tick of its transfer.
    void afterHeartbeat(const NodeView& node);
    // A TimeoutNow of term `messageTerm` from `from` reached a node at `termBefore`.
    void afterTimeoutNow(raft::NodeId from, raft::Term messageTerm, raft::Term termBefore,
                         const NodeView& after) {
        if (messageTerm < termBefore && after.currentTerm > termBefore) {
            fail(findings::staleTimeoutNowActedOn(after.id, from, messageTerm, termBefore,
                                                  after.currentTerm));
        }
    }

    // Leases (thesis §6.4.1): `leader` of `term` answered a read on its lease.
    void onLeaseRead(raft::NodeId leader, raft::Term term, raft::Index readIndex) {
        const auto later = leaderOfTerm_.upper_bound(term);
        if (later != leaderOfTerm_.end()) {
            fail(findings::leaseOutlived(leader, term, later->second, later->first, readIndex));
        }
    }

    // Log compaction: node `id`'s state machine hashes to `hash` after index `index`, as
    // `where` says (applied, or a snapshot taken, installed or restored there).
    void onState(raft::NodeId id, raft::Index index, std::uint64_t hash, std::string_view where);

    // Membership changes (sim/checker_membership.cpp): the checks that need each node's
    // configuration, on in runs with them.
    void enableMembership();
    // A leader's heartbeat timer fired and it stepped: a leader whose removal (or
    // demotion) is committed steps down within kRemovedLeaderBound of its heartbeats.
    void afterHeartbeatMembership(const NodeView& node, const raft::Membership& membership,
                                  raft::Index membershipIndex);
    static constexpr int kRemovedLeaderBound = 1;
    // The liveness phase ended without progress.
    void reportLiveness(Finding finding) { fail(std::move(finding)); }

    const std::optional<Violation>& violation() const { return violation_; }

private:
    void fail(Finding finding);
    void reportTermKept(raft::Term term, const NodeView& node);
    void checkPromise(const raft::Message& m, const raft::DurableState& disk);
    void mirrorLog(raft::NodeId id, std::span<const raft::Action> actions, const NodeUnderTest& node);
    void mirrorSnapshot(raft::NodeId id, const raft::PersistSnapshot& write, const NodeUnderTest& node);
    void rebaseMirror(raft::NodeId id, raft::Index base, const NodeUnderTest& node);
    void mirrorWrite(raft::NodeId id, const raft::PersistEntries& write);
    void checkLogMatching(raft::NodeId id, const raft::PersistEntries& write);

    // After a step that left the node a leader.
    void checkLeader(const NodeView& before, const NodeView& after,
                     std::span<const raft::Action> actions);
    void checkLeaderCompleteness(const NodeView& leader);
    void checkTransfer(const NodeView& before, const NodeView& after,
                       std::span<const raft::Action> actions);
    // After a step that raised the node's commitIndex.
    void checkCommits(const NodeView& before, const NodeView& after, const NodeUnderTest& node);
    raft::Index& committedAt(raft::Term term);
    void afterMembershipStep(const NodeView& before, const NodeView& after, const NodeUnderTest& node);
    void checkUncommittedConfigurations(const NodeView& before, const NodeView& leader,
                                        const NodeUnderTest& node);
    void checkCommitQuorumMembership(raft::Index index);
    void checkCommitQuorum(raft::Index index);
    bool upToDate(raft::NodeId a, raft::NodeId b) const;
    void checkDurable(const NodeView& v, const NodeUnderTest& node, const raft::DurableState& durable);

    std::uint64_t event_ = 0;
    raft::Micros timeUs_ = 0;
    std::optional<Violation> violation_;

    // Per node: prefixHash[i-1] is a hash of the node's log entries 1..i. Entries in a
    // snapshot keep their hashes: those of the committed log (committed_).
    std::vector<std::vector<std::uint64_t>> prefixHash_;
    std::vector<raft::Term> highestDurableTerm_;  // what a restart can come back to
    std::vector<raft::Term> lastTerm_;            // per node: the term of its last entry

    // (index, term) -> prefix hash: log matching says one (index, term), one prefix.
    EntryPrefixes entryPrefixes_;
    // committed[i-1]: prefix hash of the committed log up to i.
    std::vector<std::uint64_t> committed_;
    // Runs with snapshots: stateAt_[i-1] is the hash of the state machine after index i,
    // as the first node to get there had it (0: none yet).
    std::vector<std::uint64_t> stateAt_;
    // term -> highest index some node at that term saw committed.
    std::map<raft::Term, raft::Index> committedAtTerm_;
    // term -> leader; (node, term) -> vote.
    std::map<raft::Term, raft::NodeId> leaderOfTerm_;
    std::map<std::pair<raft::NodeId, raft::Term>, raft::NodeId> votes_;
    // Per node: heartbeats of its transfer under way (thesis §3.10).
    std::vector<int> transferTicks_;
    int transferBound_ = 0;
    // Membership changes: each node's configuration after its last step, and the
    // heartbeats a leader went on leading after its removal committed.
    bool membership_ = false;
    std::vector<raft::Membership> configurations_;
    std::vector<int> removedTicks_;
};

}  // namespace sim
