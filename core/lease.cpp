// Lease-based reads (thesis §6.4.1) and the vote guard they rest on (§4.2.3).
//
// A follower that answers an AppendEntries of its leader's term has re-armed its election
// timer, and until that timer fires it disregards RequestVote (§4.2.3); the timer runs at
// least electionTimeoutMin of the follower's own clock. So once a majority has answered a
// heartbeat the leader sent at `start` (its clock), no other leader can be elected before
// electionTimeoutMin has passed in real time, less what drifting clocks take away: with
// every clock within 100 +- d percent of real time, the leader trusts its lease for
// electionTimeoutMin * (100 - d) / (100 + d) of its own clock. It serves a read on the
// lease only when it would also pass §6.4's step 1 (an entry of its term committed), and
// not once it has sent TimeoutNow: the target campaigns at once, past every vote guard.
#include <algorithm>
#include <functional>

#include "core/node.hpp"

namespace raft {

Micros Node::leaseDurationUs() const {
    const Micros minUs = config_.electionTimeoutMinUs;
    const Micros drift = config_.clockDriftPercent;
    return minUs * (100 - drift) / (100 + drift);
}

bool Node::leaseHolds(Micros localTimeUs) const {
    if (role_ != Role::Leader || !config_.leaseReads || leaseStartUs_ == kNoLease) return false;
    if (!committedInCurrentTerm()) return false;
    const bool transferring = transferTarget_ != kNoNode || leaseForfeited_;
    if (transferring && !config_.bugs.has(Bug::LeaseReadDuringTransfer)) return false;
    if (config_.bugs.has(Bug::LeaseNeverExpires)) return true;  // the bug: no clock read
    return localTimeUs < leaseStartUs_ + leaseDurationUs();
}

void Node::observeClock(Micros localTimeUs) {
    RAFT_ASSERT(!config_.leaseReads || localTimeUs >= clockUs_,
                "node={} clock went back from {} to {}", id(), clockUs_, localTimeUs);
    clockUs_ = std::max(clockUs_, localTimeUs);
}

// With leases every heartbeat starts a round: the answers renew the lease.
void Node::startLeaseRound() {
    readRound_ += 1;
    recordRoundSent();
}

// The round readRound_ goes out now. Its send time is our latest clock reading, which is
// no later than now: a lease counted from it ends no later than it may.
void Node::recordRoundSent() {
    const Micros durationUs = leaseDurationUs();
    // Rounds that could only give a lease that has already ended are of no use.
    const auto live = std::find_if(roundsSent_.begin(), roundsSent_.end(), [&](const RoundSent& r) {
        return r.sentAtUs + durationUs > clockUs_;
    });
    roundsSent_.erase(roundsSent_.begin(), live);
    roundsSent_.push_back(RoundSent{.round = readRound_, .sentAtUs = clockUs_});
    extendLease();  // we answer our own round: a single-node cluster is its own majority
}

// The latest round that a majority, ourselves included, has answered renews the lease
// from the moment it was sent.
void Node::extendLease() {
    // The voters of the latest configuration answer (thesis §4.1), we among them while we are one.
    std::array<std::uint32_t, kMaxNodes> answered{};
    std::ptrdiff_t voters = 0;
    for (NodeSet set = membership_.voters; set != 0; set &= set - 1) {
        const NodeId peer = static_cast<NodeId>(__builtin_ctz(set));
        answered[static_cast<std::size_t>(voters++)] = peer == id() ? readRound_ : progress_[peer].readRound;
    }
    std::sort(answered.begin(), answered.begin() + voters, std::greater<>());
    const std::uint32_t majority = answered[static_cast<std::size_t>(quorum() - 1)];
    std::size_t k = 0;
    Micros start = kNoLease;
    for (; k < roundsSent_.size() && roundsSent_[k].round <= majority; ++k) {
        start = roundsSent_[k].sentAtUs;
    }
    roundsSent_.erase(roundsSent_.begin(), roundsSent_.begin() + static_cast<std::ptrdiff_t>(k));
    leaseStartUs_ = std::max(leaseStartUs_, start);
}

void Node::resetLease() {
    roundsSent_.clear();
    leaseStartUs_ = kNoLease;
    leaseForfeited_ = false;
}

}  // namespace raft
