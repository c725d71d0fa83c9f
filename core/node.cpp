#include "core/node.hpp"

#include <algorithm>

#include "core/hash.hpp"

namespace raft {

namespace {

// Appends an action built in place in `out`: no temporary variant is moved in and then
// destroyed, which matters at a few actions per step and millions of steps.
// Compilers without parenthesized aggregate initialization (clang 14) build the aggregate
// with braces and move it in.
template <typename A, typename... Args>
A& emit(Actions& out, Args&&... args) {
#if defined(__cpp_aggregate_paren_init)
    return *std::get_if<A>(&out.emplace_back(std::in_place_type<A>, std::forward<Args>(args)...));
#else
    return *std::get_if<A>(&out.emplace_back(std::in_place_type<A>, A{std::forward<Args>(args)...}));
#endif
}

}  // namespace

std::string_view name(Role role) {
    switch (role) {
        case Role::Follower: return "follower";
        case Role::Candidate: return "candidate";
        case Role::Leader: return "leader";
        case Role::PreCandidate: return "pre-candidate";
    }
    return "?";
}

std::string_view name(EntryKind kind) {
    switch (kind) {
        case EntryKind::Noop: return "noop";
        case EntryKind::Command: return "command";
        case EntryKind::Configuration: return "configuration";
    }
    return "?";
}

std::string_view name(MsgKind kind) {
    switch (kind) {
        case MsgKind::RequestVote: return "RequestVote";
        case MsgKind::RequestVoteResponse: return "RequestVoteResponse";
        case MsgKind::AppendEntries: return "AppendEntries";
        case MsgKind::AppendEntriesResponse: return "AppendEntriesResponse";
        case MsgKind::PreVote: return "PreVote";
        case MsgKind::PreVoteResponse: return "PreVoteResponse";
        case MsgKind::TimeoutNow: return "TimeoutNow";
        case MsgKind::ReadIndex: return "ReadIndex";
        case MsgKind::ReadIndexResponse: return "ReadIndexResponse";
        case MsgKind::InstallSnapshot: return "InstallSnapshot";
    }
    return "?";
}

std::string_view name(TransferRefusal reason) {
    switch (reason) {
        case TransferRefusal::None: return "none";
        case TransferRefusal::NotLeader: return "not-leader";
        case TransferRefusal::UnknownTarget: return "unknown-target";
        case TransferRefusal::SelfTarget: return "self-target";
        case TransferRefusal::InProgress: return "in-progress";
    }
    return "?";
}

int transferTimeoutTicks(const Config& config) {
    const Micros hb = std::max<Micros>(1, config.heartbeatIntervalUs);
    return static_cast<int>((config.electionTimeoutMaxUs + hb - 1) / hb);
}

Node::Node(const Config& config, const DurableState& durable)
    : config_(config),
      currentTerm_(durable.currentTerm),
      votedFor_(durable.votedFor),
      log_(durable.snapshot.meta.lastIncludedIndex, durable.snapshot.meta.lastIncludedTerm,
           durable.log),
      snapshot_(durable.snapshot),
      // Thesis §5.1: what a snapshot holds was committed and applied.
      commitIndex_(log_.snapshotIndex()),
      lastApplied_(log_.snapshotIndex()),
      stableIndex_(log_.lastIndex()),
      // A restart: the node may have answered a leader whose lease still runs (§6.4.1).
      mayHaveLeader_(config.leaseReads && durable.currentTerm > 0) {
    RAFT_ASSERT(config.clusterSize >= 1 && config.clusterSize <= kMaxNodes, "clusterSize={}",
                config.clusterSize);
    RAFT_ASSERT(config.id < kMaxNodes, "id={}", config.id);
    RAFT_ASSERT(config.electionTimeoutMinUs > 0 &&
                    config.electionTimeoutMinUs <= config.electionTimeoutMaxUs,
                "electionTimeoutMinUs={} electionTimeoutMaxUs={}", config.electionTimeoutMinUs,
                config.electionTimeoutMaxUs);
    RAFT_ASSERT(config.maxEntriesPerAppend >= 1, "maxEntriesPerAppend={}",
                config.maxEntriesPerAppend);
    RAFT_ASSERT(config.clockDriftPercent >= 0 && config.clockDriftPercent < 100,
                "clockDriftPercent={}", config.clockDriftPercent);
    restoreMembership();
}

void Node::step(const Input& input, Actions& out) {
    std::visit(
        [&](const auto& in) {
            using T = std::decay_t<decltype(in)>;
            if constexpr (std::is_same_v<T, Start>) {
                if (!snapshot_.empty()) restoreOnStart(out);
                armElectionTimer(out);
            } else if constexpr (std::is_same_v<T, Timeout>) {
                observeClock(in.localTimeUs);
                onTimeout(in.timer, out);
            } else if constexpr (std::is_same_v<T, Propose>) {
                onPropose(std::span<const Entry>(&in.entry, 1), out);
            } else if constexpr (std::is_same_v<T, ProposeBatch>) {
                onPropose(in.entries, out);
            } else if constexpr (std::is_same_v<T, Persisted>) {
                onPersisted(in, out);
            } else if constexpr (std::is_same_v<T, TransferLeadership>) {
                onTransferLeadership(in.target, out);
            } else if constexpr (std::is_same_v<T, Read>) {
                observeClock(in.localTimeUs);
                onRead(id(), in.clientId, in.seq, out);
            } else if constexpr (std::is_same_v<T, ChangeMembership>) {
                onChangeMembership(in, out);
            } else if constexpr (std::is_same_v<T, TakeSnapshot>) {
                onTakeSnapshot(in, out);
            } else {
                const Message& m = in.message;
                RAFT_ASSERT(m.to == id(), "message to={} delivered to node {}", m.to, id());
                if (!checkTerm(m, out)) return;
                switch (m.kind) {
                    case MsgKind::RequestVote: onRequestVote(m, out); break;
                    case MsgKind::RequestVoteResponse: onRequestVoteResponse(m, out); break;
                    case MsgKind::AppendEntries: onAppendEntries(m, out); break;
                    case MsgKind::AppendEntriesResponse: onAppendEntriesResponse(m, out); break;
                    case MsgKind::PreVote: onPreVote(m, out); break;
                    case MsgKind::PreVoteResponse: onPreVoteResponse(m, out); break;
                    case MsgKind::TimeoutNow: onTimeoutNow(m, out); break;
                    case MsgKind::ReadIndex: onReadIndex(m, out); break;
                    case MsgKind::ReadIndexResponse: onReadIndexResponse(m, out); break;
                    case MsgKind::InstallSnapshot: onInstallSnapshot(m, out); break;
                }
            }
        },
        input);
    RAFT_ASSERT(log_.snapshotIndex() <= lastApplied_ && lastApplied_ <= commitIndex_ &&
                    commitIndex_ <= log_.lastIndex(),
                "node={} snapshotIndex={} lastApplied={} commitIndex={} lastIndex={}", id(),
                log_.snapshotIndex(), lastApplied_, commitIndex_, log_.lastIndex());
    RAFT_ASSERT(stableIndex_ <= log_.lastIndex(), "node={} stableIndex={} lastIndex={}", id(),
                stableIndex_, log_.lastIndex());
    // Thesis §3.10: only a leader transfers, and to another voter of its cluster.
    RAFT_ASSERT(transferTarget_ == kNoNode ||
                    (role_ == Role::Leader && transferTarget_ != id() &&
                     membership_.isVoter(transferTarget_)),
                "node={} role={} transferTarget={}", id(), name(role_), transferTarget_);
}

// ---- role changes ----

void Node::becomeFollower(Term term, NodeId leader, Actions& out) {
    RAFT_ASSERT(term >= currentTerm_, "node={} term={} currentTerm={}", id(), term,
                currentTerm_);
    const bool wasLeader = role_ == Role::Leader;
    // Reads wait on a leadership: ours, or the leader a follower asked (thesis §6.4).
    if (!reads_.empty() && (term > currentTerm_ || role_ != Role::Follower || leader != leaderId_)) {
        refuseReads(out);
    }
    if (term > currentTerm_) {
        currentTerm_ = term;
        votedFor_ = kNoNode;
        persistHardState(out);
    } else if (votedFor_ != kNoNode && config_.bugs.has(Bug::VoteResetSameTerm)) {
        votedFor_ = kNoNode;  // the bug: the vote of this term is forgotten
        persistHardState(out);
    }
    role_ = Role::Follower;
    leaderId_ = leader;
    votesGranted_ = 0;
    transferTarget_ = kNoNode;  // a transfer ends with the leadership (thesis §3.10)
    transferTicks_ = 0;
    if (catchUp_.node != kNoNode) endCatchUp(/*caughtUp=*/false, out);  // and a catch-up
    if (wasLeader) resetLease();
    // Figure 2: only a current leader's AppendEntries or a granted vote resets the election
    // timer; a follower or candidate keeps the one it has. Re-arming on every higher term
    // would let a candidate whose requests are refused keep the one node that could win
    // from ever timing out first. A leader had none running for an election.
    if (wasLeader) {
        emit<CancelTimer>(out, Timer::Heartbeat);
        armElectionTimer(out);
    }
}

void Node::becomeCandidate(Actions& out, bool transfer) {
    RAFT_ASSERT(role_ != Role::Leader, "node={} term={}", id(), currentTerm_);
    refuseReads(out);
    mayHaveLeader_ = false;
    role_ = Role::Candidate;
    currentTerm_ += 1;
    votedFor_ = id();
    leaderId_ = kNoNode;
    // Our own vote counts once it is durable (Persisted), as the others' do once theirs
    // are: a candidate that won on a vote a crash can take back could lead a term twice.
    votesGranted_ = countsSelfBeforeDurable() ? nodeBit(id()) : 0;
    persistHardState(out);
    armElectionTimer(out);  // a split vote times out into a new term (§5.2)
    if (membership_.hasQuorum(votesGranted_)) {
        becomeLeader(out);
        return;
    }
    for (NodeSet voters = votingPeers(); voters != 0; voters &= voters - 1) {
        const NodeId peer = static_cast<NodeId>(__builtin_ctz(voters));
        Message& m = send(MsgKind::RequestVote, peer, out);
        m.lastLogIndex = log_.lastIndex();
        m.lastLogTerm = log_.lastTerm();
        m.leadershipTransfer = transfer;
    }
}

// Thesis §9.6: ask whether a majority would vote for us in the next term, without
// raising our own. Nothing of it is persisted, so our own pre-vote counts at once.
void Node::becomePreCandidate(Actions& out) {
    RAFT_ASSERT(role_ != Role::Leader, "node={} term={}", id(), currentTerm_);
    refuseReads(out);
    role_ = Role::PreCandidate;
    if (!config_.bugs.has(Bug::PreCandidateKeepsLeader)) leaderId_ = kNoNode;
    votesGranted_ = nodeBit(id());
    armElectionTimer(out);  // a pre-vote that fails is tried again
    if (membership_.hasQuorum(votesGranted_)) {
        becomeCandidate(out);
        return;
    }
    for (NodeSet voters = votingPeers(); voters != 0; voters &= voters - 1) {
        const NodeId peer = static_cast<NodeId>(__builtin_ctz(voters));
        Message& m = send(MsgKind::PreVote, peer, out);
        m.term = currentTerm_ + 1;
        m.lastLogIndex = log_.lastIndex();
        m.lastLogTerm = log_.lastTerm();
    }
}

void Node::becomeLeader(Actions& out) {
    RAFT_ASSERT(role_ == Role::Candidate && membership_.hasQuorum(votesGranted_),
                "node={} role={} votes={}", id(), name(role_), countOf(votesGranted_));
    role_ = Role::Leader;
    leaderId_ = id();
    for (NodeSet members = membership_.members() | nodeBit(id()); members != 0; members &= members - 1) {
        progress_[__builtin_ctz(members)] = Progress{.nextIndex = log_.lastIndex() + 1};
    }
    progress_[id()].matchIndex = stableIndex_;  // our own log counts as far as it is durable
    recentActive_ = 0;
    transferTarget_ = kNoNode;
    transferTicks_ = 0;
    readRound_ = 0;
    resetLease();
    if (config_.checkQuorum) {
        armElectionTimer(out);
    } else {
        emit<CancelTimer>(out, Timer::Election);
    }
    emit<ArmTimer>(out, Timer::Heartbeat, config_.heartbeatIntervalUs, config_.heartbeatIntervalUs);
    // A no-op of the new term lets earlier entries commit without waiting for a client
    // (§5.4.2, §8).
    appendAsLeader({Entry{.kind = EntryKind::Noop}}, out);
}

// ---- the role-independent prelude ----

bool Node::checkTerm(const Message& m, Actions& out) {
    // A pre-vote changes no one's term (§9.6): a request carries the term its sender
    // would campaign in, a grant echoes it. Only a refusal of a higher term is news.
    if (m.kind == MsgKind::PreVote && m.term > currentTerm_) return true;
    if (m.kind == MsgKind::PreVoteResponse && m.success && m.term > currentTerm_) {
        return m.term == currentTerm_ + 1;  // a grant for our pre-vote round
    }
    if (m.term > currentTerm_) {
        if (m.kind == MsgKind::RequestVote && !m.leadershipTransfer && disregardsVotes()) {
            return false;  // §4.2.3: a current leader was heard; no term, no vote, no answer
        }
        if (fromRemovedServer(m)) return false;  // §4.2.3; a leader would not heed the guard above
        const bool isResponse = !isRequest(m.kind);
        if (isResponse && role_ == Role::Leader && config_.bugs.has(Bug::NoStepDownHigherTerm)) {
            return false;  // the bug: a leader ignores the higher term it was told of
        }
        const bool fromLeader = m.kind == MsgKind::AppendEntries || m.kind == MsgKind::InstallSnapshot;
        becomeFollower(m.term, fromLeader ? m.from : kNoNode, out);
        return true;
    }
    if (m.term < currentTerm_) {
        if (m.kind == MsgKind::AppendEntries && config_.bugs.has(Bug::StaleTermAppend)) {
            return true;  // the bug: a deposed leader's append is taken as current
        }
        if (m.kind == MsgKind::RequestVoteResponse && config_.bugs.has(Bug::StaleVoteCounted)) {
            return true;  // the bug: a vote from an earlier election is counted in this one
        }
        if (m.kind == MsgKind::TimeoutNow && config_.bugs.has(Bug::StaleTimeoutNow)) {
            return true;  // the bug: a deposed leader's TimeoutNow still starts an election
        }
        // Requests are answered with our term alone, so a stale sender steps down (§5.1)
        // and a sender that has moved on to our term learns nothing from it; stale
        // responses, and TimeoutNow (which wants no answer), are dropped.
        if (m.kind == MsgKind::RequestVote) {
            send(MsgKind::RequestVoteResponse, m.from, out);
        } else if (m.kind == MsgKind::PreVote) {
            send(MsgKind::PreVoteResponse, m.from, out);
        } else if (m.kind == MsgKind::AppendEntries || m.kind == MsgKind::InstallSnapshot) {
            send(MsgKind::AppendEntriesResponse, m.from, out);
        }
        return false;
    }
    return true;
}

// ---- timers and proposals ----

void Node::checkQuorum(Actions& out) {
    if (!membership_.hasQuorum(recentActive_ | nodeBit(id()))) {
        becomeFollower(currentTerm_, kNoNode, out);
        return;
    }
    recentActive_ = 0;
    armElectionTimer(out);
}

void Node::onTimeout(Timer timer, Actions& out) {
    if (timer == Timer::Election) {
        mayHaveLeader_ = false;  // a restarted node's guard lasts one election timeout
        if (role_ != Role::Leader && !isVoter()) {
            // Thesis §4.2.2: a node that is not a voter of its latest configuration does
            // not campaign; it only notes that no leader was heard for a while.
            leaderId_ = kNoNode;
            armElectionTimer(out);
        } else if (role_ != Role::Leader) {
            if (config_.preVote) {
                becomePreCandidate(out);
            } else {
                becomeCandidate(out);
            }
        } else if (config_.checkQuorum) {
            checkQuorum(out);
        }
        return;
    }
    if (role_ == Role::Leader) {
        if (transferTarget_ != kNoNode) onTransferTick();
        if (catchUp_.node != kNoNode) onCatchUpTick(out);
        if (config_.leaseReads) startLeaseRound();
        broadcastAppend(/*heartbeat=*/true, out);
        emit<ArmTimer>(out, Timer::Heartbeat, config_.heartbeatIntervalUs,
                       config_.heartbeatIntervalUs);
    }
}

void Node::onPropose(std::span<const Entry> entries, Actions& out) {
    // Thesis §3.10: a leader transferring its leadership stops accepting client requests.
    // Its hint is no one: leadership is about to move, and the client looks for it anew.
    const bool transferring =
        transferTarget_ != kNoNode && !config_.bugs.has(Bug::ProposeDuringTransfer);
    if (role_ != Role::Leader || transferring) {
        const NodeId hint = role_ == Role::Leader ? kNoNode : leaderId_;
        for (const Entry& e : entries) {
            emit<ProposeReply>(out, ProposeReply{.accepted = false,
                                                 .leaderHint = hint,
                                                 .clientId = e.clientId,
                                                 .seq = e.seq});
        }
        return;
    }
    const Index first = log_.lastIndex() + 1;
    std::vector<Entry> appended;
    appended.reserve(entries.size());
    for (const Entry& e : entries) {
        appended.push_back(Entry{.kind = EntryKind::Command,
                                 .clientId = e.clientId,
                                 .seq = e.seq,
                                 .data = e.data});
    }
    appendAsLeader(std::move(appended), out);
    for (std::size_t k = 0; k < entries.size(); ++k) {
        emit<ProposeReply>(out, ProposeReply{.accepted = true,
                                             .index = first + k,
                                             .term = currentTerm_,
                                             .leaderHint = id(),
                                             .clientId = entries[k].clientId,
                                             .seq = entries[k].seq});
    }
}

// ---- durability reports (thesis §3.8, §10.2.1) ----

// The disk holds currentTerm p.currentTerm and a log ending at (p.lastIndex, p.lastTerm).
// If our log has that entry, the two logs agree up to it (log matching), and nothing
// after it is durable.
void Node::onPersisted(const Persisted& p, Actions& out) {
    if (p.lastIndex >= log_.snapshotIndex() && p.lastIndex <= log_.lastIndex() &&
        log_.termAt(p.lastIndex) == p.lastTerm) {
        stableIndex_ = p.lastIndex;
    }
    if (role_ == Role::Candidate && p.currentTerm == currentTerm_ && !contains(votesGranted_, id())) {
        votesGranted_ |= nodeBit(id());
        if (membership_.hasQuorum(votesGranted_)) becomeLeader(out);
    }
    Progress& self = progress_[id()];
    if (role_ == Role::Leader && stableIndex_ > self.matchIndex) {
        self.matchIndex = stableIndex_;
        self.nextIndex = stableIndex_ + 1;
        advanceLeaderCommit(out);
    }
}

// The bug switch: a node counts itself before its own write is durable.
bool Node::countsSelfBeforeDurable() const {
    return config_.bugs.has(Bug::SelfCountBeforePersist);
}

// ---- RequestVote (§5.2, §5.4.1) ----

bool Node::grantsVote(const Message& m) const {
    if (votedFor_ != kNoNode && votedFor_ != m.from) return false;
    if (config_.bugs.has(Bug::VoteNoLogCheck)) return true;
    if (config_.bugs.has(Bug::VoteLogCheckWrong)) {
        // The bug: (index, term) compared in the wrong order.
        return m.lastLogIndex > log_.lastIndex() ||
               (m.lastLogIndex == log_.lastIndex() && m.lastLogTerm >= log_.lastTerm());
    }
    return log_.isUpToDate(m.lastLogIndex, m.lastLogTerm);
}

// A candidate refusing, in its own term, a candidate outside its configuration whose log
// is more up to date (thesis §4.2.3: a voter of a configuration we have not seen yet).
// We send that server no RequestVote, so it learns our term only from our refusals and
// campaigns again in the term we are already in: whichever of us times out first, it
// stays a term behind, while our older log may never win our own majority. Restarting
// our election timer here gives it an even chance to campaign first; the timer alone
// changes, so safety is untouched. (Without this, 3 of 100,000 swarm seeds with
// membership changes split vote after vote for 5 seconds.)
bool Node::yieldsTo(const Message& m) const {
    return role_ == Role::Candidate && !membership_.isVoter(m.from) &&
           log_.isNewerThanOurs(m.lastLogIndex, m.lastLogTerm);
}

void Node::onRequestVote(const Message& m, Actions& out) {
    const bool granted = role_ == Role::Follower && grantsVote(m);
    if (granted) {
        votedFor_ = m.from;
        persistHardState(out);  // the vote must be durable before it is sent
        armElectionTimer(out);  // §5.2: granting a vote resets the election timer
    } else if (yieldsTo(m)) {
        armElectionTimer(out);
    }
    send(MsgKind::RequestVoteResponse, m.from, out).success = granted;
}

void Node::onRequestVoteResponse(const Message& m, Actions& out) {
    if (role_ != Role::Candidate || !m.success) return;
    countVote(m, out);
}

// ---- PreVote (thesis §9.6) ----

// Granted to a log at least as up to date as ours, unless we have heard from a current
// leader since our election timer was last armed (its timer has not fired: leaderId is
// cleared only when it does). Nothing changes here: no term, no vote, no timer.
void Node::onPreVote(const Message& m, Actions& out) {
    const bool leaderAlive = (leaderId_ != kNoNode && (role_ == Role::Follower ||
                                                       config_.bugs.has(Bug::PreCandidateKeepsLeader))) ||
                             mayHaveLeader_;
    const bool granted = m.term > currentTerm_ && !leaderAlive && role_ != Role::Leader &&
                         log_.isUpToDate(m.lastLogIndex, m.lastLogTerm);
    Message& r = send(MsgKind::PreVoteResponse, m.from, out);
    if (granted) r.term = m.term;
    r.success = granted;
}

void Node::onPreVoteResponse(const Message& m, Actions& out) {
    if (!m.success) return;
    if (role_ == Role::Candidate && m.term == currentTerm_ &&
        config_.bugs.has(Bug::PreVoteCountedAsVote)) {
        countVote(m, out);  // the bug: a late pre-vote of this term is taken for a vote
        return;
    }
    if (role_ != Role::PreCandidate || m.term != currentTerm_ + 1) return;
    votesGranted_ |= nodeBit(m.from);
    if (membership_.hasQuorum(votesGranted_)) becomeCandidate(out);
}

void Node::countVote(const Message& m, Actions& out) {
    if (contains(votesGranted_, m.from) && config_.bugs.has(Bug::DuplicateVoteCounted)) {
        // The bug: responses are counted, not voters, so a duplicate is one more vote.
        const NodeSet missing = static_cast<NodeSet>(membership_.voters & ~votesGranted_);
        votesGranted_ |= static_cast<NodeSet>(missing & (~missing + 1));
    }
    votesGranted_ |= nodeBit(m.from);
    if (membership_.hasQuorum(votesGranted_)) becomeLeader(out);
}

// ---- leadership transfer (thesis §3.10) ----

// The leader brings the target up to date, then tells it to campaign at once; meanwhile
// it refuses proposals (onPropose), and it gives up after an election timeout.
void Node::onTransferLeadership(NodeId target, Actions& out) {
    if (role_ != Role::Leader) return refuseTransfer(target, TransferRefusal::NotLeader, out);
    if (transferTarget_ != kNoNode || catchUp_.node != kNoNode) {
        return refuseTransfer(target, TransferRefusal::InProgress, out);  // or a catch-up (§4.2.1)
    }
    if (target != kNoNode && (target >= kMaxNodes || !membership_.isVoter(target))) {
        return refuseTransfer(target, TransferRefusal::UnknownTarget, out);
    }
    const NodeId chosen = target == kNoNode ? mostUpToDateFollower() : target;
    if (chosen == id() || chosen == kNoNode) {
        return refuseTransfer(target, TransferRefusal::SelfTarget, out);
    }
    transferTarget_ = chosen;
    transferTicks_ = 0;
    emit<TransferReply>(out, TransferReply{.accepted = true, .target = chosen});
    if (progress_[chosen].matchIndex == log_.lastIndex()) {
        sendTimeoutNowIfCaughtUp(out);
    } else {
        sendAppend(chosen, /*allowEmpty=*/false, out);  // catch it up first
    }
}

void Node::refuseTransfer(NodeId target, TransferRefusal reason, Actions& out) {
    emit<TransferReply>(out, TransferReply{.accepted = false, .target = target, .reason = reason});
}

// The follower with the highest matchIndex, ties to the lowest id; kNoNode if none.
NodeId Node::mostUpToDateFollower() const {
    NodeId best = kNoNode;
    for (NodeSet voters = votingPeers(); voters != 0; voters &= voters - 1) {
        const NodeId peer = static_cast<NodeId>(__builtin_ctz(voters));
        if (best == kNoNode || progress_[peer].matchIndex > progress_[best].matchIndex) best = peer;
    }
    return best;
}

// Once the target holds our whole log, it can win the election it is told to start.
// Sent again on each later acknowledgement while the transfer lasts: a TimeoutNow can
// be lost, and one that arrives after the target's election is stale and ignored.
void Node::sendTimeoutNowIfCaughtUp(Actions& out) {
    RAFT_ASSERT(role_ == Role::Leader && transferTarget_ != kNoNode && transferTarget_ != id(),
                "node={} role={} transferTarget={}", id(), name(role_), transferTarget_);
    if (progress_[transferTarget_].matchIndex != log_.lastIndex()) return;
    send(MsgKind::TimeoutNow, transferTarget_, out);
    // The target campaigns past every vote guard: our lease is over for this term (§6.4.1).
    if (config_.leaseReads) leaseForfeited_ = true;
}

// A heartbeat of a leader with a transfer under way: after an election timeout's worth
// the transfer is aborted and proposals are accepted again.
void Node::onTransferTick() {
    transferTicks_ += 1;
    if (transferTicks_ < transferTimeoutTicks(config_)) return;
    if (config_.bugs.has(Bug::TransferNeverAborted)) return;  // the bug: it waits forever
    transferTarget_ = kNoNode;
    transferTicks_ = 0;
}

// The target starts an election at once, without pre-votes: the leader that sent this
// has already agreed to step down. checkTerm dropped a TimeoutNow of an earlier term.
void Node::onTimeoutNow(const Message& m, Actions& out) {
    if (role_ == Role::Leader || !isVoter()) return;  // a non-voter never campaigns (§4.2.2)
    RAFT_ASSERT(m.term <= currentTerm_, "node={} term={} TimeoutNow term={}", id(), currentTerm_,
                m.term);
    becomeCandidate(out, /*transfer=*/true);
}

// ---- AppendEntries, follower side (§5.3) ----

void Node::onAppendEntries(const Message& m, Actions& out) {
    // Two leaders of one term: only a switched-on bug gets here; the checker reports it.
    if (role_ == Role::Leader && m.term == currentTerm_) return;
    if (m.term == currentTerm_ && (role_ != Role::Follower || leaderId_ != m.from)) {
        becomeFollower(currentTerm_, m.from, out);  // a candidate steps down (§5.2)
    }
    if (m.term >= currentTerm_) armElectionTimer(out);  // the current leader is alive
    if (!appendFromLeader(m, out)) rejectAppend(m, out);
}

void Node::rejectAppend(const Message& m, Actions& out) {
    Message& r = send(MsgKind::AppendEntriesResponse, m.from, out);
    r.readRound = m.readRound;  // a refusal in the leader's term still confirms it leads
    r.rejectedIndex = m.prevLogIndex;
    if (m.prevLogIndex > log_.lastIndex()) {
        r.conflictIndex = log_.lastIndex() + 1;  // our log is too short
    } else {
        r.conflictTerm = log_.termAt(m.prevLogIndex);
        r.conflictIndex = log_.firstIndexOfTermAt(m.prevLogIndex);
    }
}

// Returns false if the consistency check fails.
bool Node::appendFromLeader(const Message& m, Actions& out) {
    if (m.prevLogIndex < log_.snapshotIndex()) [[unlikely]] return appendBelowSnapshot(m, out);
    if (m.prevLogIndex < commitIndex_ && !config_.bugs.has(Bug::TruncateOnStaleAppend)) {
        // Stale: everything up to commitIndex matches every leader's log (§5.4.3).
        acceptAppend(m, commitIndex_, out);
        return true;
    }
    if (m.prevLogIndex > log_.lastIndex() || log_.termAt(m.prevLogIndex) != m.prevLogTerm) {
        return false;
    }
    const Index lastNew = m.prevLogIndex + m.entries.size();
    // Skip the entries we already hold; truncate only at a real conflict (§5.3 step 3).
    std::size_t k = 0;
    const std::size_t persistAt = out.size();
    if (config_.bugs.has(Bug::TruncateOnStaleAppend)) {
        // The bug: drop everything after prevLogIndex, committed or not. What was
        // committed past the cut is forgotten (the checker sees commitIndex fall).
        if (m.prevLogIndex < log_.lastIndex()) {
            log_.truncateFrom(m.prevLogIndex + 1);
            onLogTruncated(m.prevLogIndex + 1);
            stableIndex_ = std::min(stableIndex_, m.prevLogIndex);
            emit<PersistEntries>(out, m.prevLogIndex + 1);
            commitIndex_ = std::min(commitIndex_, log_.lastIndex());
            lastApplied_ = std::min(lastApplied_, commitIndex_);
        }
    } else {
        while (k < m.entries.size() && m.prevLogIndex + 1 + k <= log_.lastIndex() &&
               log_.termAt(m.prevLogIndex + 1 + k) == m.entries[k].term) {
            ++k;
        }
    }
    if (k < m.entries.size()) {
        const Index first = m.prevLogIndex + 1 + k;
        if (first <= log_.lastIndex()) {
            RAFT_ASSERT(first > commitIndex_, "node={} truncating committed index {} (commitIndex={})",
                        id(), first, commitIndex_);
            log_.truncateFrom(first);
            onLogTruncated(first);
            stableIndex_ = std::min(stableIndex_, first - 1);
        }
        for (std::size_t j = k; j < m.entries.size(); ++j) log_.append(m.entries[j]);
        adoptConfigurations(first);  // in effect once in the log (thesis §4.1)
        const auto fresh = m.entries.begin() + static_cast<std::ptrdiff_t>(k);
        emit<PersistEntries>(out, first, std::vector<Entry>(fresh, m.entries.end()));
    }
    // §5.3 step 5: commit up to leaderCommit, but never past what this message verified.
    const Index verified =
        config_.bugs.has(Bug::CommitPastNewEntries) ? log_.lastIndex() : lastNew;
    const Index newCommit = std::min(m.leaderCommit, verified);
    if (newCommit < commitIndex_ && config_.bugs.has(Bug::CommitIndexRegress)) {
        // The bug: commitIndex is set rather than raised, so a delayed message lowers it.
        commitIndex_ = newCommit;
        lastApplied_ = std::min(lastApplied_, newCommit);
    }
    commitTo(newCommit, out);
    acceptAppend(m, lastNew, out);
    if (config_.bugs.has(Bug::AckBeforePersist) && persistAt + 1 < out.size()) {
        // The bug: the acknowledgement goes out ahead of the write it depends on.
        std::rotate(out.begin() + static_cast<std::ptrdiff_t>(persistAt), out.end() - 1, out.end());
    }
    return true;
}

// ---- AppendEntries, leader side ----

void Node::appendAsLeader(std::vector<Entry> entries, Actions& out) {
    if (entries.empty()) return;
    const Index first = log_.lastIndex() + 1;
    for (Entry& e : entries) {
        e.term = currentTerm_;
        log_.append(e);
    }
    emit<PersistEntries>(out, first, std::move(entries));
    broadcastAppend(/*heartbeat=*/false, out);
    // Our own log counts toward a commit once the write is durable (onPersisted); a
    // single-node cluster commits then.
    if (countsSelfBeforeDurable()) {
        progress_[id()].matchIndex = log_.lastIndex();
        progress_[id()].nextIndex = log_.lastIndex() + 1;
        advanceLeaderCommit(out);
    }
}

void Node::broadcastAppend(bool heartbeat, Actions& out) {
    for (NodeSet replicas = this->replicas(); replicas != 0; replicas &= replicas - 1) {
        const NodeId peer = static_cast<NodeId>(__builtin_ctz(replicas));
        if (heartbeat) progress_[peer].probeSent = false;
        sendAppend(peer, heartbeat, out, !(heartbeat && config_.emptyHeartbeats));
    }
}

// Sends the follower what it lacks, if its progress allows (etcd raft's probe and
// replicate states): a probing follower gets one message per answer or heartbeat; a
// replicating one gets every new entry at once (pipelined).
void Node::sendAppend(NodeId peer, bool allowEmpty, Actions& out, bool withEntries) {
    Progress& pr = progress_[peer];
    if (!pr.replicating && pr.probeSent) return;
    // Thesis §5.3: the entry before nextIndex is in our snapshot, so the follower gets that.
    if (pr.nextIndex <= log_.snapshotIndex()) [[unlikely]] return sendSnapshot(peer, out);
    const Index last = log_.lastIndex();
    if (pr.nextIndex > last && !allowEmpty) return;
    const Index maxLast = pr.nextIndex + static_cast<Index>(config_.maxEntriesPerAppend) - 1;
    const std::span<const Entry> entries =
        withEntries ? log_.slice(pr.nextIndex, std::min(last, maxLast)) : std::span<const Entry>();
    Message& m = send(MsgKind::AppendEntries, peer, out);
    m.prevLogIndex = pr.nextIndex - 1;
    m.prevLogTerm = log_.termAt(pr.nextIndex - 1);
    m.leaderCommit = commitIndex_;
    m.readRound = readRound_;
    m.entries.assign(entries.begin(), entries.end());
    pr.commitSent = std::max(pr.commitSent, commitIndex_);
    if (pr.replicating) {
        pr.nextIndex += entries.size();
    } else {
        pr.probeSent = true;
    }
}

void Node::onAppendEntriesResponse(const Message& m, Actions& out) {
    if (role_ != Role::Leader) return;
    if (config_.checkQuorum) recentActive_ |= nodeBit(m.from);  // only CheckQuorum reads it
    Progress& pr = progress_[m.from];
    if (m.readRound > pr.readRound) onReadRoundAck(m.from, m.readRound, out);
    if (!m.success) {
        // rejectedIndex 0 answers an append of an earlier term: a term and nothing more.
        if (m.rejectedIndex == 0) return;
        onAppendRejected(m);
        sendAppend(m.from, /*allowEmpty=*/true, out);
        return;
    }
    RAFT_ASSERT(m.matchIndex <= log_.lastIndex(), "leader={} follower={} matchIndex={} lastIndex={}",
                id(), m.from, m.matchIndex, log_.lastIndex());
    // A success is a lasting fact in this term: the follower's log matches ours up to
    // matchIndex. Probing ends there and pipelined replication starts after it.
    pr.probeSent = false;
    if (!pr.replicating) {
        pr.replicating = true;
        pr.nextIndex = std::max(pr.matchIndex, m.matchIndex) + 1;
    }
    if (m.matchIndex > pr.matchIndex) {
        pr.matchIndex = m.matchIndex;
        pr.nextIndex = std::max(pr.nextIndex, pr.matchIndex + 1);
        advanceLeaderCommit(out);
    }
    if (role_ != Role::Leader) return;
    if (m.from == transferTarget_) sendTimeoutNowIfCaughtUp(out);
    if (m.from == catchUp_.node) onCatchUpAck(out);
    // A follower that caught up after the commit still needs to hear of it.
    const bool commitNews = pr.commitSent < std::min(commitIndex_, pr.matchIndex);
    sendAppend(m.from, /*allowEmpty=*/commitNews, out);
}

// Fast backtracking: skip the follower's whole conflicting term at once.
void Node::onAppendRejected(const Message& m) {
    Progress& pr = progress_[m.from];
    const bool stale = pr.replicating ? m.rejectedIndex < pr.matchIndex
                                      : m.rejectedIndex != pr.nextIndex - 1;
    if (stale) return;
    Index next = m.conflictIndex;
    if (m.conflictTerm != 0) {
        const Index ours = log_.lastIndexOfTerm(m.conflictTerm);
        if (ours != 0) next = ours + 1;
    }
    next = std::min(next, m.rejectedIndex);  // always move back
    pr.nextIndex = std::max(next, pr.matchIndex + 1);
    pr.replicating = false;
    pr.probeSent = false;
}

// §5.4.2: only an entry of the leader's own term is committed by counting replicas.
// Thesis §4.1-§4.2.2: the voters of the latest configuration count, the leader among them
// only while it is one.
void Node::advanceLeaderCommit(Actions& out) {
    std::array<Index, kMaxNodes> matched{};
    std::ptrdiff_t voters = 0;
    const NodeSet counted = config_.bugs.has(Bug::LearnerCountedInQuorum) ? membership_.members()
                                                                          : membership_.voters;
    for (NodeSet set = counted; set != 0; set &= set - 1) {
        matched[static_cast<std::size_t>(voters++)] = progress_[__builtin_ctz(set)].matchIndex;
    }
    std::sort(matched.begin(), matched.begin() + voters, std::greater<>());
    const Index majority = matched[static_cast<std::size_t>(quorum() - 1)];
    if (majority <= commitIndex_) return;
    if (log_.termAt(majority) != currentTerm_ && !config_.bugs.has(Bug::Figure8Commit)) return;
    const Index before = commitIndex_;
    commitTo(majority, out);
    if (!reads_.empty()) startReadRounds(out);  // an entry of our term may now be committed
    // Followers learn the new commitIndex now rather than at the next heartbeat.
    if (commitIndex_ > before) {
        for (NodeSet replicas = this->replicas(); replicas != 0; replicas &= replicas - 1) {
            const NodeId peer = static_cast<NodeId>(__builtin_ctz(replicas));
            Progress& pr = progress_[peer];
            if (pr.replicating && pr.nextIndex > log_.lastIndex()) {
                sendAppend(peer, /*allowEmpty=*/true, out);
            }
        }
        if (membershipIndex_ > before) stepDownIfRemoved(out);
    }
}

// ---- shared helpers ----

void Node::commitTo(Index index, Actions& out) {
    if (index <= commitIndex_) return;
    RAFT_ASSERT(index <= log_.lastIndex(), "node={} commit {} past lastIndex {}", id(), index,
                log_.lastIndex());
    commitIndex_ = index;
    emit<Apply>(out, lastApplied_ + 1, commitIndex_);
    lastApplied_ = commitIndex_;
    if (!reads_.empty()) serveReads(out);
}

void Node::persistHardState(Actions& out) {
    // The bug: the vote is never made durable, so a restart forgets it.
    const NodeId durableVote = config_.bugs.has(Bug::ForgetVote) ? kNoNode : votedFor_;
    emit<PersistHardState>(out, currentTerm_, durableVote);
}

void Node::armElectionTimer(Actions& out) {
    // The bug: the randomization range shrinks 30-fold, to 5 ms for 150-300 ms (figure 16's
    // "150-155ms" line): followers that lost their leader together time out together, so
    // split votes repeat and elections take several timeouts, yet still end (paper §9.3).
    const Micros spreadUs = config_.electionTimeoutMaxUs - config_.electionTimeoutMinUs;
    const Micros maxUs = config_.bugs.has(Bug::ElectionTimeoutNarrow)
                             ? config_.electionTimeoutMinUs + spreadUs / 30
                             : config_.electionTimeoutMaxUs;
    emit<ArmTimer>(out, Timer::Election, config_.electionTimeoutMinUs, maxUs);
}

Message& Node::send(MsgKind kind, NodeId to, Actions& out) {
    Message& m = emit<Send>(out).message;
    m.kind = kind;
    m.from = id();
    m.to = to;
    m.term = currentTerm_;
    return m;
}

void Node::acceptAppend(const Message& m, Index matchIndex, Actions& out) {
    Message& r = send(MsgKind::AppendEntriesResponse, m.from, out);
    r.readRound = m.readRound;
    r.success = true;
    r.matchIndex = matchIndex;
}

std::uint64_t Node::fingerprint() const {
    Hasher h;
    h.add(config_.id);
    h.add(currentTerm_);
    h.add(votedFor_);
    h.add(commitIndex_);
    h.add(lastApplied_);
    h.add(static_cast<std::uint64_t>(role_));
    h.add(leaderId_);
    h.add(votesGranted_);
    h.add(recentActive_);
    h.add(log_.lastIndex());
    // Hashed only when it differs, so that states whose log is all durable hash as before.
    if (stableIndex_ != log_.lastIndex()) h.add(~stableIndex_);
    // Hashed only with a snapshot, so that states without one hash as before.
    if (!snapshot_.empty()) {
        h.add(0x536e'6170'0000'0000ull ^ snapshot_.meta.lastIncludedIndex);
        h.add(snapshot_.meta.lastIncludedTerm);
        h.add(snapshot_.meta.voters | (std::uint64_t{snapshot_.meta.learners} << 16));
        h.add(snapshot_.handle);
        h.add(snapshot_.hash);
    }
    for (const Entry& e : log_.entries()) {
        h.add(e.term);
        h.add(static_cast<std::uint64_t>(e.kind) | (std::uint64_t{e.clientId} << 8));
        h.add(e.seq);
        h.add(e.data);
    }
    // Hashed only during a transfer, so that other states hash as before.
    if (transferTarget_ != kNoNode) {
        h.add(0x7846'6572'0000'0000ull | (std::uint64_t{transferTarget_} << 16) |
              static_cast<std::uint64_t>(transferTicks_));
    }
    // Hashed only once a configuration entry or a catch-up exists, so that other states
    // hash as before.
    if (membershipIndex_ != 0 || catchUp_.node != kNoNode || config_.joinsCluster) {
        h.add(0x4d65'6d62'0000'0000ull | (std::uint64_t{membership_.learners} << 16) |
              membership_.voters);
        h.add(membershipIndex_);
        h.add((std::uint64_t{catchUp_.node} << 56) | (std::uint64_t(catchUp_.round) << 48) |
              (std::uint64_t(catchUp_.roundTicks) << 24) | std::uint64_t(catchUp_.ticks));
        h.add(catchUp_.roundEnd);
    }
    if (role_ == Role::Leader) {
        for (NodeSet set = replicas() | nodeBit(id()); set != 0; set &= set - 1) {
            const Progress& pr = progress_[__builtin_ctz(set)];
            h.add(pr.nextIndex);
            h.add(pr.matchIndex);
            h.add(static_cast<std::uint64_t>(pr.replicating) | (pr.probeSent ? 2u : 0u) |
                  (std::uint64_t{pr.readRound} << 32));
            h.add(pr.commitSent);
        }
    }
    if (config_.leaseReads) {
        h.add(static_cast<std::uint64_t>(clockUs_));
        h.add(static_cast<std::uint64_t>(leaseStartUs_) ^ (std::uint64_t{mayHaveLeader_} << 62) ^
              (std::uint64_t{leaseForfeited_} << 61));
        for (const RoundSent& r : roundsSent_) {
            h.add((std::uint64_t{r.round} << 40) ^ static_cast<std::uint64_t>(r.sentAtUs));
        }
    }
    // Hashed only once reads happen, so that other states hash as before.
    if (readRound_ != 0 || !reads_.empty()) {
        h.add(0x5265'6164'0000'0000ull | readRound_);
        for (const PendingRead& r : reads_) {
            h.add(r.index);
            h.add((std::uint64_t{r.round} << 32) | (std::uint64_t{r.from} << 8) |
                  static_cast<std::uint64_t>(r.confirmed));
            h.add((std::uint64_t{r.clientId} << 32) | r.seq);
        }
    }
    return h.digest();
}

}  // namespace raft
