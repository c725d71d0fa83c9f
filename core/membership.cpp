// Membership changes, one server at a time (thesis §4.1-§4.3; see core/membership.hpp).
//
// A node uses the latest configuration in its log, committed or not (§4.1). A leader
// appends a configuration entry only when the previous one is committed and an entry of
// its own term is committed (the §4.1 fix: otherwise a configuration of an earlier term
// that was never committed could be overwritten after a newer one took effect). A new
// voter is first caught up in rounds (§4.2.1); a leader that is not a voter of the
// committed configuration steps down (§4.2.2), counting itself in no quorum until then.
#include <tuple>

#include "core/node.hpp"

namespace raft {

namespace {

// The heartbeats after which a leader gives up catching up a server that is silent or
// never finishes a round (thesis §4.2.1): 2 * kCatchUpRounds election timeouts.
int catchUpTimeoutTicks(const Config& config) {
    return 2 * kCatchUpRounds * transferTimeoutTicks(config);
}

}  // namespace

// ---- the configuration as a log entry ----

Entry configurationEntry(const Membership& m) {
    return Entry{.kind = EntryKind::Configuration,
                 .data = std::uint64_t{m.voters} | (std::uint64_t{m.learners} << 16)};
}

Membership membershipOf(const Entry& e) {
    RAFT_ASSERT(e.kind == EntryKind::Configuration, "entry kind={}", static_cast<int>(e.kind));
    return Membership{.voters = static_cast<NodeSet>(e.data & 0xFFFF),
                      .learners = static_cast<NodeSet>((e.data >> 16) & 0xFFFF)};
}

std::string_view name(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::AddVoter: return "add-voter";
        case ChangeKind::AddLearner: return "add-learner";
        case ChangeKind::DemoteVoter: return "demote-voter";
        case ChangeKind::RemoveServer: return "remove-server";
    }
    return "?";
}

std::string_view name(ChangeRefusal reason) {
    switch (reason) {
        case ChangeRefusal::None: return "none";
        case ChangeRefusal::NotLeader: return "not-leader";
        case ChangeRefusal::InProgress: return "in-progress";
        case ChangeRefusal::TermNotCommitted: return "term-not-committed";
        case ChangeRefusal::CatchUpFailed: return "catch-up-failed";
        case ChangeRefusal::InvalidMember: return "invalid-member";
    }
    return "?";
}

std::optional<Membership> changed(const Membership& current, ChangeKind kind, NodeId node) {
    if (node >= kMaxNodes) return std::nullopt;
    const NodeSet bit = nodeBit(node);
    Membership next = current;
    switch (kind) {
        case ChangeKind::AddVoter:
            if (current.isVoter(node)) return std::nullopt;
            next.voters |= bit;
            next.learners &= static_cast<NodeSet>(~bit);
            break;
        case ChangeKind::AddLearner:
            if (contains(current.members(), node)) return std::nullopt;
            next.learners |= bit;
            break;
        case ChangeKind::DemoteVoter:
            if (!current.isVoter(node)) return std::nullopt;
            next.voters &= static_cast<NodeSet>(~bit);
            next.learners |= bit;
            break;
        case ChangeKind::RemoveServer:
            if (!contains(current.members(), node)) return std::nullopt;
            next.voters &= static_cast<NodeSet>(~bit);
            next.learners &= static_cast<NodeSet>(~bit);
            break;
    }
    if (next.voters == 0) return std::nullopt;  // a cluster without voters can do nothing
    return next;
}

// ---- the configuration in use on every node ----

Membership Node::bootstrapMembership() const {
    return config_.joinsCluster ? Membership{} : Membership{.voters = config_.voters()};
}

// The configuration in effect at `index`: the latest configuration entry at or before
// it in the log, else the one the snapshot recorded (§5.1: a snapshot keeps the
// configuration as of its last included entry), else the bootstrap one. Also where it
// came from: the entry's index, the snapshot's last included index, or 0.
std::pair<Membership, Index> Node::membershipAt(Index index) const {
    for (Index i = std::min(index, log_.lastIndex()); i >= log_.firstIndex() && i > 0; --i) {
        if (log_.at(i).kind == EntryKind::Configuration) return {membershipOf(log_.at(i)), i};
    }
    if (!snapshot_.empty()) {
        const SnapshotMeta& meta = snapshot_.meta;
        return {Membership{.voters = meta.voters, .learners = meta.learners}, meta.lastIncludedIndex};
    }
    return {bootstrapMembership(), 0};
}

// The latest configuration in the log (on a restart, and when truncation removed the one
// in use, or a snapshot replaced the log).
void Node::restoreMembership() {
    std::tie(membership_, membershipIndex_) = membershipAt(log_.lastIndex());
}

// Entries first..lastIndex were just appended: the latest configuration among them, if
// any, takes effect now (§4.1: not when committed).
void Node::adoptConfigurations(Index first) {
    for (Index i = log_.lastIndex(); i >= first && i > membershipIndex_; --i) {
        if (log_.at(i).kind == EntryKind::Configuration) {
            adoptMembership(membershipOf(log_.at(i)), i);
            return;
        }
    }
}

// A leader starts replicating to the members it did not know (from the configuration
// entry on; a probe backs off from there); a server being caught up keeps its progress.
void Node::adoptMembership(const Membership& next, Index index) {
    if (role_ == Role::Leader) {
        const NodeSet known = replicas() | nodeBit(id());
        for (NodeSet added = next.members() & ~known; added != 0; added &= added - 1) {
            progress_[__builtin_ctz(added)] = Progress{.nextIndex = index};
        }
    }
    membership_ = next;
    membershipIndex_ = index;
}

// ---- the leader's side of a change ----

void Node::onChangeMembership(const ChangeMembership& change, Actions& out) {
    if (role_ != Role::Leader) return answerChange(change, ChangeRefusal::NotLeader, out);
    if (!changed(membership_, change.kind, change.node)) {
        return answerChange(change, ChangeRefusal::InvalidMember, out);
    }
    // One change at a time (§4.1): none while a configuration entry is uncommitted, a
    // server is being caught up, or leadership is being handed over (§3.10).
    const bool uncommitted = membershipIndex_ > commitIndex_ && !config_.bugs.has(Bug::ConcurrentChanges);
    if (uncommitted || catchUp_.node != kNoNode || transferTarget_ != kNoNode) {
        return answerChange(change, ChangeRefusal::InProgress, out);
    }
    if (log_.termAt(commitIndex_) != currentTerm_) {
        return answerChange(change, ChangeRefusal::TermNotCommitted, out);
    }
    if (change.kind == ChangeKind::AddVoter) return startCatchUp(change, out);
    appendConfiguration(change, out);
}

void Node::answerChange(const ChangeMembership& change, ChangeRefusal reason, Actions& out) {
    out.emplace_back(std::in_place_type<ChangeReply>,
                     ChangeReply{.kind = change.kind,
                                 .node = change.node,
                                 .leaderHint = reason == ChangeRefusal::NotLeader ? leaderId_ : kNoNode,
                                 .reason = reason});
}

// The configuration entry goes into our log and takes effect at once.
void Node::appendConfiguration(const ChangeMembership& change, Actions& out) {
    RAFT_ASSERT(role_ == Role::Leader && (membershipIndex_ <= commitIndex_ ||
                                          config_.bugs.has(Bug::ConcurrentChanges)),
                "node={} role={} membershipIndex={} commitIndex={}", id(), name(role_),
                membershipIndex_, commitIndex_);
    const std::optional<Membership> next = changed(membership_, change.kind, change.node);
    RAFT_ASSERT(next.has_value(), "node={} change={} of node {}", id(), name(change.kind),
                change.node);
    const Index index = log_.lastIndex() + 1;
    adoptMembership(*next, index);
    appendAsLeader({configurationEntry(*next)}, out);
    out.emplace_back(std::in_place_type<ChangeReply>,
                     ChangeReply{.accepted = true,
                                 .kind = change.kind,
                                 .node = change.node,
                                 .index = index,
                                 .term = currentTerm_,
                                 .leaderHint = id()});
}

// Thesis §4.2.1: the server receives the log as a learner would, in rounds, each up to
// our last index when it starts. A round that ends within an election timeout means the
// server is close enough to become a voter without leaving the cluster unavailable.
void Node::startCatchUp(const ChangeMembership& change, Actions& out) {
    catchUp_ = CatchUp{.node = change.node, .round = 1, .roundEnd = log_.lastIndex()};
    if (!contains(membership_.members(), change.node)) {
        progress_[change.node] = Progress{.nextIndex = log_.lastIndex() + 1};
    }
    if (progress_[change.node].matchIndex >= catchUp_.roundEnd) return endCatchUp(true, out);
    sendAppend(change.node, /*allowEmpty=*/true, out);
}

// The server acknowledged entries: a round may be over. A round that took an election
// timeout or more starts the next one, which is over at once if nothing was appended
// meanwhile.
void Node::onCatchUpAck(Actions& out) {
    const Index matched = progress_[catchUp_.node].matchIndex;
    if (matched < catchUp_.roundEnd) return;
    if (catchUp_.roundTicks < transferTimeoutTicks(config_)) return endCatchUp(true, out);
    if (catchUp_.round >= kCatchUpRounds) return endCatchUp(false, out);
    catchUp_.round += 1;
    catchUp_.roundEnd = log_.lastIndex();
    catchUp_.roundTicks = 0;
    if (matched >= catchUp_.roundEnd) endCatchUp(true, out);
}

// A heartbeat: time passes in the round. A server that answers nothing, or too slowly to
// finish its rounds, is given up on after 2 * kCatchUpRounds election timeouts in all.
void Node::onCatchUpTick(Actions& out) {
    catchUp_.roundTicks += 1;
    catchUp_.ticks += 1;
    if (catchUp_.ticks >= catchUpTimeoutTicks(config_)) endCatchUp(false, out);
}

// Caught up: the configuration that makes it a voter is appended. Otherwise (too slow, or
// leadership lost) the change is refused; the server keeps whatever role it had.
void Node::endCatchUp(bool caughtUp, Actions& out) {
    const ChangeMembership change{.kind = ChangeKind::AddVoter, .node = catchUp_.node};
    if (caughtUp) {
        appendConfiguration(change, out);  // while the server still counts as known
        catchUp_ = CatchUp{};
        return;
    }
    catchUp_ = CatchUp{};
    answerChange(change, role_ == Role::Leader ? ChangeRefusal::CatchUpFailed : ChangeRefusal::NotLeader,
                 out);
}

// Thesis §4.2.2: once the configuration that leaves us out of the voters is committed,
// we step down; the remaining voters elect a leader among themselves.
void Node::stepDownIfRemoved(Actions& out) {
    if (role_ != Role::Leader || isVoter() || membershipIndex_ > commitIndex_) return;
    if (config_.bugs.has(Bug::RemovedLeaderStays)) return;
    becomeFollower(currentTerm_, kNoNode, out);
}

}  // namespace raft
