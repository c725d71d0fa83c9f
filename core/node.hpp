// A pure Raft node (Raft paper §5). `step` is the only way its state changes: no clock,
// no randomness, no IO. Roles change only in becomeFollower/Candidate/Leader.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/config.hpp"
#include "core/io.hpp"
#include "core/log.hpp"

namespace raft {

// PreCandidate: asking for pre-votes (thesis §9.6), at the term it had as a follower.
enum class Role : std::uint8_t { Follower, Candidate, Leader, PreCandidate };

std::string_view name(Role role);

// The leader's view of one follower (etcd raft's Progress, reduced).
struct Progress {
    Index nextIndex = 1;   // Invariant: matchIndex < nextIndex
    Index matchIndex = 0;  // highest index known to be replicated on the follower
    bool replicating = false;  // false: probing, one AppendEntries at a time
    bool probeSent = false;    // probing and waiting for an answer or the next heartbeat
    Index commitSent = 0;      // the highest leaderCommit sent to this follower
    std::uint32_t readRound = 0;  // the highest read round it has answered (thesis §6.4)

    friend bool operator==(const Progress&, const Progress&) = default;
};

// How many of its heartbeats a leader waits for a transfer to complete before it aborts
// it (thesis §3.10: "within an election timeout"): the largest election timeout, counted
// in the leader's own heartbeat intervals (as etcd raft counts ticks), so no clock is read.
int transferTimeoutTicks(const Config& config);

// A read waiting to be served (thesis §6.4). On a leader: its read index once an entry of
// the leader's term is committed (index 0 until then), and the round of heartbeats that
// must be answered by a majority to confirm the leadership. On a follower: the read index
// its leader answered with.
struct PendingRead {
    Index index = 0;
    std::uint32_t round = 0;  // leaders: 0 until the round is started
    bool confirmed = false;   // the read index is known to be safe: serve once applied
    bool onLease = false;     // confirmed by the leader's lease (thesis §6.4.1), not a round
    NodeId from = kNoNode;    // the follower that asked for it; our own id for our client
    std::uint32_t clientId = 0;
    std::uint32_t seq = 0;

    friend bool operator==(const PendingRead&, const PendingRead&) = default;
};

class Node {
public:
    // A node that has never run: empty durable state.
    explicit Node(const Config& config) : Node(config, DurableState{}) {}
    // A node restarted from what it had persisted (§5.1: volatile state is reset).
    Node(const Config& config, const DurableState& durable);

    // Feeds one input; appends the resulting actions to `out` in execution order.
    void step(const Input& input, Actions& out);
    Actions step(const Input& input) {
        Actions out;
        step(input, out);
        return out;
    }

    // ---- read-only view (for checkers, viewers and tests) ----
    const Config& config() const { return config_; }
    NodeId id() const { return config_.id; }
    Role role() const { return role_; }
    Term currentTerm() const { return currentTerm_; }
    NodeId votedFor() const { return votedFor_; }
    NodeId leaderId() const { return leaderId_; }
    const RaftLog& log() const { return log_; }
    // The latest snapshot taken or installed (empty if none); the log's base is its last
    // included entry (thesis §5.1).
    const Snapshot& snapshot() const { return snapshot_; }
    Index commitIndex() const { return commitIndex_; }
    Index lastApplied() const { return lastApplied_; }
    Index stableIndex() const { return stableIndex_; }
    NodeSet votesGranted() const { return votesGranted_; }
    const Progress& progress(NodeId peer) const { return progress_[peer]; }
    // Leaders: the follower leadership is being transferred to (thesis §3.10), kNoNode
    // when no transfer is under way; and the heartbeats since it started.
    NodeId transferTarget() const { return transferTarget_; }
    int transferTicks() const { return transferTicks_; }
    // Reads waiting to be served, oldest first (thesis §6.4).
    const std::vector<PendingRead>& pendingReads() const { return reads_; }
    // Thesis §4.2.3: whether a RequestVote of a higher term (not from a transfer) would be
    // disregarded now, because a current leader was heard since the election timer last
    // fired (or, with leases, the node restarted and its timer has not fired yet).
    // (leaderId is set by a current leader's AppendEntries and cleared when the election
    // timer fires, so it says "heard from a leader since".) Inline: viewers ask every step.
    bool disregardsVotes() const {
        return (config_.disregardVotesWithLeader || config_.leaseReads) &&
               ((role_ == Role::Follower && leaderId_ != kNoNode) || mayHaveLeader_);
    }
    // Thesis §4.2.3, as hashicorp/raft: whether a RequestVote comes from a server removed
    // from our configuration (which may not know it). Its higher term deposes no one. Not
    // when its log is more up to date than ours: then it may be a voter of a configuration
    // we have not seen yet, whose majority may need our vote (disregarding it could stall
    // the cluster for good), while a removed server never holds a newer log than a node
    // that has its removal. Simulator and model checker ask it too.
    bool fromRemovedServer(const Message& m) const {
        return m.kind == MsgKind::RequestVote && !membership_.isVoter(m.from) &&
               !log_.isNewerThanOurs(m.lastLogIndex, m.lastLogTerm);
    }
    // Whether a RequestVote of our term that we refuse restarts our election timer: we
    // are a candidate and it comes from outside our configuration with a newer log (the
    // other side of thesis §4.2.3; node.cpp says why). Viewers explain it with this.
    bool yieldsTo(const Message& m) const;
    // Leaders with leaseReads (thesis §6.4.1): whether a read arriving at `localTimeUs`
    // would be served on the lease, without a round of heartbeats.
    bool leaseHolds(Micros localTimeUs) const;
    // Leaders: the latest round of heartbeats started to confirm reads (0: none yet).
    std::uint32_t readRound() const { return readRound_; }
    // The configuration in use (thesis §4.1): the latest in the log, else the bootstrap
    // one; and the index of its entry (0: the bootstrap configuration).
    const Membership& membership() const { return membership_; }
    Index membershipIndex() const { return membershipIndex_; }
    // Leaders: the server being caught up to become a voter (thesis §4.2.1), kNoNode if
    // none; the round it is in (1..kCatchUpRounds); the index the round replicates up to;
    // the heartbeats of the round and of the whole catch-up.
    NodeId catchUpNode() const { return catchUp_.node; }
    int catchUpRound() const { return catchUp_.round; }
    Index catchUpRoundEnd() const { return catchUp_.roundEnd; }
    int catchUpRoundTicks() const { return catchUp_.roundTicks; }
    int catchUpTicks() const { return catchUp_.ticks; }
    // Those a leader replicates to: the other members and a server being caught up.
    NodeSet replicas() const {
        return catchUp_.node == kNoNode ? peers() : static_cast<NodeSet>(peers() | nodeBit(catchUp_.node));
    }

    std::uint64_t fingerprint() const;
    friend bool operator==(const Node&, const Node&) = default;

private:
    // Role changes.
    void becomeFollower(Term term, NodeId leader, Actions& out);
    // transfer: the election was called by a TimeoutNow (thesis §3.10).
    void becomeCandidate(Actions& out, bool transfer = false);
    void becomePreCandidate(Actions& out);
    void becomeLeader(Actions& out);

    // Role-independent prelude (§5.1): returns false if the message is done with.
    bool checkTerm(const Message& m, Actions& out);

    void onTimeout(Timer timer, Actions& out);
    void checkQuorum(Actions& out);
    void onPropose(std::span<const Entry> entries, Actions& out);
    void onPersisted(const Persisted& p, Actions& out);
    bool countsSelfBeforeDurable() const;
    void onRequestVote(const Message& m, Actions& out);
    void onRequestVoteResponse(const Message& m, Actions& out);
    void onAppendEntries(const Message& m, Actions& out);
    void onAppendEntriesResponse(const Message& m, Actions& out);
    void onPreVote(const Message& m, Actions& out);
    void onPreVoteResponse(const Message& m, Actions& out);
    void countVote(const Message& m, Actions& out);

    // Leadership transfer (thesis §3.10).
    void onTransferLeadership(NodeId target, Actions& out);
    void refuseTransfer(NodeId target, TransferRefusal reason, Actions& out);
    NodeId mostUpToDateFollower() const;
    void sendTimeoutNowIfCaughtUp(Actions& out);
    void onTransferTick();
    void onTimeoutNow(const Message& m, Actions& out);

    // Reads (thesis §6.4; core/reads.cpp).
    void onRead(NodeId from, std::uint32_t clientId, std::uint32_t seq, Actions& out);
    void onReadIndex(const Message& m, Actions& out);
    void onReadIndexResponse(const Message& m, Actions& out);
    void readAsLeader(PendingRead read, Actions& out, bool clockIsNow);
    bool committedInCurrentTerm() const;
    void startReadRounds(Actions& out);
    void onReadRoundAck(NodeId peer, std::uint32_t round, Actions& out);
    void serveReads(Actions& out);
    void answerRead(const PendingRead& read, bool accepted, Actions& out);
    void refuseReads(Actions& out);

    // Membership changes (thesis §4.1-§4.3; core/membership.cpp).
    bool isVoter() const { return membership_.isVoter(id()); }
    int quorum() const { return membership_.quorum(); }
    NodeSet peers() const {
        return static_cast<NodeSet>(membership_.members() & ~nodeBit(id()));
    }
    NodeSet votingPeers() const { return static_cast<NodeSet>(membership_.voters & ~nodeBit(id())); }
    Membership bootstrapMembership() const;
    std::pair<Membership, Index> membershipAt(Index index) const;
    void restoreMembership();
    void adoptConfigurations(Index first);
    void onLogTruncated(Index first) {
        if (membershipIndex_ >= first) restoreMembership();
    }
    void adoptMembership(const Membership& next, Index index);
    void onChangeMembership(const ChangeMembership& change, Actions& out);
    void answerChange(const ChangeMembership& change, ChangeRefusal reason, Actions& out);
    void startCatchUp(const ChangeMembership& change, Actions& out);
    void onCatchUpAck(Actions& out);
    void onCatchUpTick(Actions& out);
    void endCatchUp(bool caughtUp, Actions& out);
    void appendConfiguration(const ChangeMembership& change, Actions& out);
    void stepDownIfRemoved(Actions& out);
    // Log compaction (thesis §5.1-§5.3, figure 13; core/snapshot.cpp).
    void onTakeSnapshot(const TakeSnapshot& in, Actions& out);
    void onInstallSnapshot(const Message& m, Actions& out);
    void installSnapshot(const Snapshot& snapshot, Actions& out);
    void sendSnapshot(NodeId peer, Actions& out);
    bool appendBelowSnapshot(const Message& m, Actions& out);
    void restoreOnStart(Actions& out);

    // Leases (thesis §6.4.1; core/lease.cpp).
    Micros leaseDurationUs() const;
    void observeClock(Micros localTimeUs);
    void startLeaseRound();
    void recordRoundSent();
    void extendLease();
    void resetLease();

    // Follower helpers.
    bool grantsVote(const Message& m) const;
    void rejectAppend(const Message& m, Actions& out);
    void acceptAppend(const Message& m, Index matchIndex, Actions& out);
    bool appendFromLeader(const Message& m, Actions& out);

    // Leader helpers.
    void sendAppend(NodeId peer, bool allowEmpty, Actions& out, bool withEntries = true);
    void broadcastAppend(bool heartbeat, Actions& out);
    void onAppendRejected(const Message& m);
    void advanceLeaderCommit(Actions& out);
    void appendAsLeader(std::vector<Entry> entries, Actions& out);

    void commitTo(Index index, Actions& out);
    void persistHardState(Actions& out);
    void armElectionTimer(Actions& out);
    // Adds a message of ours (our id, our term) to `out` and returns it for the caller
    // to fill in. Built in place: a message is 136 bytes, and moving it costs.
    Message& send(MsgKind kind, NodeId to, Actions& out);

    Config config_;

    // Persistent state on all servers (figure 2).
    Term currentTerm_ = 0;
    NodeId votedFor_ = kNoNode;
    RaftLog log_;
    Snapshot snapshot_;  // Invariant: its last included entry is the log's base

    // Volatile state on all servers.
    Index commitIndex_ = 0;  // Invariant: lastApplied <= commitIndex <= log.lastIndex()
    Index lastApplied_ = 0;
    Role role_ = Role::Follower;
    NodeId leaderId_ = kNoNode;
    // The log up to here is durable and equal to the log in memory (from Persisted
    // reports). Invariant: stableIndex <= log.lastIndex().
    Index stableIndex_ = 0;

    // Candidates, and pre-candidates (pre-votes, their own included).
    NodeSet votesGranted_ = 0;

    // Leaders (reinitialized after election).
    std::array<Progress, kMaxNodes> progress_{};
    NodeSet recentActive_ = 0;  // CheckQuorum: peers heard from since the last check
    // Leadership transfer (thesis §3.10): the target, kNoNode if none; heartbeats since.
    NodeId transferTarget_ = kNoNode;
    int transferTicks_ = 0;
    // Reads (thesis §6.4): those waiting, and a leader's latest round of heartbeats.
    std::vector<PendingRead> reads_;
    std::uint32_t readRound_ = 0;
    // Leases (thesis §6.4.1). All nodes: the latest reading of our clock, and, after a
    // restart with leases, that we may have answered a leader whose lease still runs
    // (until our first election timeout). Leaders: the rounds sent and not yet answered by
    // a majority, with our clock when each was sent; the send time of the latest round a
    // majority answered (kNoLease if none this term); and whether a TimeoutNow went out.
    struct RoundSent {
        std::uint32_t round = 0;
        Micros sentAtUs = 0;
        friend bool operator==(const RoundSent&, const RoundSent&) = default;
    };
    static constexpr Micros kNoLease = -1;
    Micros clockUs_ = 0;
    bool mayHaveLeader_ = false;
    std::vector<RoundSent> roundsSent_;
    Micros leaseStartUs_ = kNoLease;
    bool leaseForfeited_ = false;
    // Membership (thesis §4.1): the configuration in use and its entry's index (0: the
    // bootstrap one). Leaders: the catch-up of a server to be made a voter (§4.2.1); a
    // round replicates up to roundEnd, the last index when it started, and lasts
    // roundTicks heartbeats; ticks counts the whole catch-up.
    struct CatchUp {
        NodeId node = kNoNode;
        int round = 0;
        Index roundEnd = 0;
        int roundTicks = 0;
        int ticks = 0;
        friend bool operator==(const CatchUp&, const CatchUp&) = default;
    };
    Membership membership_;
    Index membershipIndex_ = 0;
    CatchUp catchUp_;
};

}  // namespace raft
