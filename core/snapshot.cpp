// Log compaction (thesis §5.1-§5.3, Raft paper §7 and figure 13).
//
// A node discards its log up to an applied index when its environment has snapshotted
// the state machine there (TakeSnapshot). A leader whose follower needs an entry it has
// discarded sends its snapshot instead (InstallSnapshot); the follower keeps the entries
// after the snapshot if its log holds the snapshot's last entry, and discards its whole
// log otherwise. The bytes stay with the environment (core/snapshot.hpp says why).
#include <algorithm>

#include "core/node.hpp"

namespace raft {

namespace {

SnapshotMeta metaOf(const Message& m) {
    return SnapshotMeta{.lastIncludedIndex = m.lastLogIndex,
                        .lastIncludedTerm = m.lastLogTerm,
                        .voters = m.snapshotVoters,
                        .learners = m.snapshotLearners};
}

}  // namespace

// Thesis §5.1: the environment saved the state machine as applied up to in.index.
void Node::onTakeSnapshot(const TakeSnapshot& in, Actions& out) {
    RAFT_ASSERT(in.index <= lastApplied_, "node={} snapshot at {} beyond lastApplied={}", id(),
                in.index, lastApplied_);
    if (in.index <= log_.snapshotIndex()) return;  // we already have a snapshot as recent
    const Membership kept = membershipAt(in.index).first;  // before the log is discarded
    log_.compactTo(in.index);
    snapshot_ = Snapshot{.meta = SnapshotMeta{.lastIncludedIndex = in.index,
                                              .lastIncludedTerm = log_.snapshotTerm(),
                                              .voters = kept.voters,
                                              .learners = kept.learners},
                         .handle = in.handle,
                         .hash = in.hash};
    out.emplace_back(PersistSnapshot{.snapshot = snapshot_, .keepLog = true});
}

// Thesis §5.3: the leader's snapshot, in one message (message.hpp says which fields carry
// what). The follower is probed with it: one at a time, again at the next heartbeat if
// unanswered; nextIndex stays where it was until the answer comes.
void Node::sendSnapshot(NodeId peer, Actions& out) {
    RAFT_ASSERT(role_ == Role::Leader && !snapshot_.empty(), "node={} role={} snapshotIndex={}",
                id(), name(role_), log_.snapshotIndex());
    Progress& pr = progress_[peer];
    Message& m = send(MsgKind::InstallSnapshot, peer, out);
    m.lastLogIndex = snapshot_.meta.lastIncludedIndex;
    m.lastLogTerm = snapshot_.meta.lastIncludedTerm;
    m.prevLogIndex = snapshot_.handle;
    m.prevLogTerm = snapshot_.hash;
    m.snapshotVoters = snapshot_.meta.voters;
    m.snapshotLearners = snapshot_.meta.learners;
    m.leaderCommit = commitIndex_;
    m.readRound = readRound_;  // an answer in our term confirms our leadership (§6.4)
    pr.commitSent = std::max(pr.commitSent, commitIndex_);
    pr.replicating = false;
    pr.probeSent = true;
}

// Figure 13, receiver implementation. checkTerm has answered an earlier term's snapshot.
void Node::onInstallSnapshot(const Message& m, Actions& out) {
    if (role_ == Role::Leader && m.term == currentTerm_) return;  // two leaders: a bug's doing
    if (m.term == currentTerm_ && (role_ != Role::Follower || leaderId_ != m.from)) {
        becomeFollower(currentTerm_, m.from, out);
    }
    armElectionTimer(out);  // the current leader is alive
    const Snapshot snapshot{.meta = metaOf(m), .handle = m.prevLogIndex, .hash = m.prevLogTerm};
    if (snapshot.meta.lastIncludedIndex <= commitIndex_) {
        // Nothing new: we hold all it covers, committed (and our log matches the leader's
        // that far, §5.4.3). commitIndex never moves back.
        acceptAppend(m, commitIndex_, out);
        return;
    }
    const std::size_t first = out.size();
    installSnapshot(snapshot, out);
    acceptAppend(m, snapshot.meta.lastIncludedIndex, out);  // after PersistSnapshot (§3.8)
    if (config_.bugs.has(Bug::SnapshotAckBeforePersist)) [[unlikely]] {
        std::rotate(out.begin() + static_cast<std::ptrdiff_t>(first), out.end() - 1, out.end());
    }
}

// Figure 13 steps 6-8: keep the entries after the snapshot if our log holds its last
// entry, else discard the whole log; persist it; restore the state machine from it.
void Node::installSnapshot(const Snapshot& snapshot, Actions& out) {
    const Index last = snapshot.meta.lastIncludedIndex;
    const Term lastTerm = snapshot.meta.lastIncludedTerm;
    RAFT_ASSERT(last > commitIndex_ && lastTerm != 0, "node={} snapshot ({}, {}) commitIndex={}",
                id(), last, lastTerm, commitIndex_);
    const bool keepLog = last <= log_.lastIndex() &&
                         (log_.termAt(last) == lastTerm || config_.bugs.has(Bug::SnapshotKeepsConflictingLog));
    if (keepLog) {
        log_.compactTo(last);
    } else {
        // Our entries after commitIndex may differ from the leader's: what is durable and
        // equal to the log in memory ends at most there.
        stableIndex_ = std::min(stableIndex_, commitIndex_);
        log_.resetTo(last, lastTerm);
    }
    snapshot_ = snapshot;
    // A discarded log took its configurations along: the snapshot's is in effect now, or
    // a later one in the entries kept (thesis §4.1: the latest in the log).
    if (!keepLog || membershipIndex_ < log_.firstIndex()) restoreMembership();
    out.emplace_back(PersistSnapshot{.snapshot = snapshot_, .keepLog = keepLog});
    commitIndex_ = last;
    lastApplied_ = last;
    out.emplace_back(RestoreSnapshot{.snapshot = snapshot_});
    if (!reads_.empty()) serveReads(out);  // a follower's read may now be applied
}

// An AppendEntries that starts inside our snapshot (a delayed one, or one sent before the
// leader learned of our snapshot). Its entries up to our base are committed, so they
// match ours (§5.4.3): the overlap is taken as matching and the rest appended.
bool Node::appendBelowSnapshot(const Message& m, Actions& out) {
    const Index base = log_.snapshotIndex();
    const Index inside = std::min<Index>(base - m.prevLogIndex, m.entries.size());
    if (m.prevLogIndex + inside < base) {
        acceptAppend(m, commitIndex_, out);  // all of it is in our snapshot
        return true;
    }
    Message rest = m;  // rare: copying is fine here
    rest.prevLogIndex = base;
    rest.prevLogTerm = inside == 0 ? m.prevLogTerm : m.entries[inside - 1].term;
    rest.entries.erase(rest.entries.begin(), rest.entries.begin() + static_cast<std::ptrdiff_t>(inside));
    if (!appendFromLeader(rest, out)) rejectAppend(rest, out);
    return true;
}

// A restart from a durable snapshot (§5.1): the state machine starts from it, and
// commitIndex and lastApplied start at its last included index (the constructor).
void Node::restoreOnStart(Actions& out) {
    out.emplace_back(RestoreSnapshot{.snapshot = snapshot_});
}

}  // namespace raft
