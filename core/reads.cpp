// Read-only queries without the log (thesis §6.4): ReadIndex on the leader, and reads on
// followers through their leader's read index.
//
// A leader serves a read once (1) an entry of its own term is committed, so its
// commitIndex is at least that of every earlier leader (§6.4 step 1), taken then as the
// read index; (2) a majority has answered a round of heartbeats sent after the read
// arrived, so no newer leader had been elected when the read index was taken (step 3);
// and (3) its state machine has applied up to the read index (step 4). A follower asks
// its leader for the read index and serves the read itself once it has applied that far.
#include <algorithm>

#include "core/node.hpp"

namespace raft {

void Node::onRead(NodeId from, std::uint32_t clientId, std::uint32_t seq, Actions& out) {
    const PendingRead read{.from = from, .clientId = clientId, .seq = seq};
    if (role_ == Role::Leader) return readAsLeader(read, out, /*clockIsNow=*/true);
    if (role_ == Role::Follower && leaderId_ != kNoNode && config_.followerReads) {
        reads_.push_back(read);
        Message& m = send(MsgKind::ReadIndex, leaderId_, out);
        m.entries.push_back(Entry{.clientId = clientId, .seq = seq});
        return;
    }
    answerRead(read, /*accepted=*/false, out);
}

// checkTerm has made the term ours: the asker is a follower of this term.
void Node::onReadIndex(const Message& m, Actions& out) {
    if (m.entries.empty()) return;  // no read to answer for
    const PendingRead read{.from = m.from, .clientId = m.entries[0].clientId, .seq = m.entries[0].seq};
    if (role_ != Role::Leader) return answerRead(read, /*accepted=*/false, out);
    readAsLeader(read, out, /*clockIsNow=*/false);
}

void Node::onReadIndexResponse(const Message& m, Actions& out) {
    if (m.entries.empty()) return;
    const auto it = std::find_if(reads_.begin(), reads_.end(), [&](const PendingRead& r) {
        return r.from == id() && !r.confirmed && r.clientId == m.entries[0].clientId &&
               r.seq == m.entries[0].seq;
    });
    if (it == reads_.end()) return;  // refused meanwhile, or a duplicate
    if (!m.success || m.from != leaderId_) {
        const PendingRead read = *it;
        reads_.erase(it);
        return answerRead(read, /*accepted=*/false, out);
    }
    it->index = m.matchIndex;
    it->confirmed = true;
    if (config_.bugs.has(Bug::FollowerReadBeforeApply)) {
        // The bug: the read is answered from what this follower has applied so far.
        const PendingRead read = *it;
        reads_.erase(it);
        return answerRead(read, /*accepted=*/true, out);
    }
    serveReads(out);
}

// clockIsNow: our clock reading is the read's arrival time (a client's Read), so a lease
// may serve it; a follower's ReadIndex comes with no reading, and gets a round.
void Node::readAsLeader(PendingRead read, Actions& out, bool clockIsNow) {
    RAFT_ASSERT(role_ == Role::Leader, "node={} role={}", id(), name(role_));
    if (config_.bugs.has(Bug::ReadWithoutQuorum) || (clockIsNow && leaseHolds(clockUs_))) {
        // On the lease (§6.4.1) no round is needed. The bug: no round and no lease; a
        // deposed leader answers from stale state.
        read.index = commitIndex_;
        read.confirmed = true;
        read.onLease = !config_.bugs.has(Bug::ReadWithoutQuorum);
    }
    reads_.push_back(read);
    if (read.confirmed) return serveReads(out);
    startReadRounds(out);
}

bool Node::committedInCurrentTerm() const {
    return log_.termAt(commitIndex_) == currentTerm_ ||
           config_.bugs.has(Bug::ReadIndexBeforeTermCommit);
}

// Every read without a round gets the current commitIndex as its read index and the
// next round, and one heartbeat goes to every follower to confirm it (etcd raft sends one
// per read too); a single-node cluster is its own majority.
void Node::startReadRounds(Actions& out) {
    if (role_ != Role::Leader || !committedInCurrentTerm()) return;
    bool started = false;
    for (PendingRead& r : reads_) {
        if (r.round != 0 || r.confirmed) continue;
        r.index = commitIndex_;
        r.round = readRound_ + 1;
        started = true;
    }
    if (!started) return;
    readRound_ += 1;
    if (config_.leaseReads) recordRoundSent();
    broadcastAppend(/*heartbeat=*/true, out);
    onReadRoundAck(id(), readRound_, out);
}

// A follower answered an AppendEntries of round `round` in our term (or we count
// ourselves): every read of that round or earlier that a majority has now answered is
// confirmed.
void Node::onReadRoundAck(NodeId peer, std::uint32_t round, Actions& out) {
    if (peer != id()) progress_[peer].readRound = std::max(progress_[peer].readRound, round);
    bool confirmed = false;
    for (PendingRead& r : reads_) {
        if (r.confirmed || r.round == 0) continue;
        int acks = isVoter() ? 1 : 0;  // our own, while we are a voter (thesis §4.2.2)
        for (NodeSet voters = votingPeers(); voters != 0; voters &= voters - 1) {
            if (progress_[__builtin_ctz(voters)].readRound >= r.round) ++acks;
        }
        if (acks < quorum()) continue;
        r.confirmed = true;
        confirmed = true;
    }
    if (config_.leaseReads) extendLease();
    if (confirmed) serveReads(out);
}

// Serves, in order of arrival, every confirmed read whose read index has been applied.
void Node::serveReads(Actions& out) {
    std::size_t kept = 0;
    for (std::size_t k = 0; k < reads_.size(); ++k) {
        const PendingRead r = reads_[k];
        if (r.confirmed && r.index <= lastApplied_) {
            answerRead(r, /*accepted=*/true, out);
        } else {
            reads_[kept++] = r;
        }
    }
    reads_.resize(kept);
}

// Our client's read gets a ReadReply; a follower's gets a ReadIndexResponse (the
// follower then waits to apply up to the index itself).
void Node::answerRead(const PendingRead& read, bool accepted, Actions& out) {
    if (read.from == id()) {
        out.emplace_back(std::in_place_type<ReadReply>,
                         ReadReply{.accepted = accepted,
                                   .onLease = accepted && read.onLease,
                                   .index = accepted ? read.index : 0,
                                   .leaderHint = leaderId_ == id() && !accepted ? kNoNode : leaderId_,
                                   .clientId = read.clientId,
                                   .seq = read.seq});
        return;
    }
    Message& m = send(MsgKind::ReadIndexResponse, read.from, out);
    m.success = accepted;
    m.matchIndex = accepted ? read.index : 0;
    m.entries.push_back(Entry{.clientId = read.clientId, .seq = read.seq});
}

// Leadership is lost or changes hands: no waiting read can be served here any more.
void Node::refuseReads(Actions& out) {
    if (reads_.empty()) return;
    std::vector<PendingRead> refused;
    refused.swap(reads_);
    for (const PendingRead& r : refused) answerRead(r, /*accepted=*/false, out);
}

}  // namespace raft
