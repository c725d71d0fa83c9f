// Standing partial faults (sim/standing.hpp): at the heal a minority stays partially cut
// off for the whole liveness phase, and the connected majority M must keep a leader that
// has committed an entry of its own term, never without one for longer than the bound.
#include "sim/recovery.hpp"
#include "sim/world.hpp"

namespace sim {

using raft::NodeId;

void World::startStanding() {
    NodeId leader = raft::kNoNode;
    raft::NodeSet late = 0;
    for (NodeId id = 0; id < nodeCount(); ++id) {
        const Host& h = hosts_[id];
        if (h.pausedUntil > now_) late |= raft::nodeBit(id);
        if (!h.node || h.view.role != raft::Role::Leader) continue;
        if (leader == raft::kNoNode || h.view.currentTerm > hosts_[leader].view.currentTerm) leader = id;
    }
    standing_ = membership_ ? drawStanding(standingRng_, standingHosts(), leader, late)
                            : drawStanding(standingRng_, options_.nodes, leader, late);
    RAFT_ASSERT(leavesMajorityConnected(*standing_), "standing fault {} cuts M", describe(*standing_));
    networkGen_ += 1;
    for (const auto& [from, to] : standing_->cuts) network_.block(from, to);
    standingStartUs_ = now_;
    for (NodeId id = 0; id < nodeCount(); ++id) {
        // Down for good: the restart crash() schedules is void once the liveness phase began.
        if (raft::contains(standing_->crashed, id)) crash(id, 1);
        if (!raft::contains(standing_->majority, id)) continue;
        standingStartUs_ = std::max(standingStartUs_, hosts_[id].pausedUntil);
        if (leadsOwnTerm(id)) standingLed_ |= raft::nodeBit(id);
    }
    standingEverLed_ = standingLed_ != 0;
    unledSinceUs_ = standingStartUs_;
    stats_.standingMaxGapMilliTimeouts = 0;
}

// Each host as the standing fault's draw sees it (sim/standing.hpp): the operator asks
// for nothing in the liveness phase, so a leader uses one of these configurations.
std::vector<StandingHost> World::standingHosts() const {
    std::vector<StandingHost> hosts(static_cast<std::size_t>(nodeCount()));
    for (NodeId id = 0; id < nodeCount(); ++id) {
        const raft::Node* core = node(id);
        if (core == nullptr) continue;
        StandingHost& h = hosts[id];
        h.voters = core->membership().voters;
        h.lastIndex = core->log().lastIndex();
        h.lastTerm = core->log().lastTerm();
        if (core->catchUpNode() != raft::kNoNode) {
            h.catchUpVoters = static_cast<raft::NodeSet>(h.voters | raft::nodeBit(core->catchUpNode()));
        }
    }
    return hosts;
}

bool World::leadsOwnTerm(NodeId id) const {
    const Host& h = hosts_[id];
    const NodeView& v = h.view;
    if (!h.node || v.role != raft::Role::Leader || v.commitIndex == 0) return false;
    // A log compacted up to its commitIndex has that entry's term as its base's.
    const raft::Node* core = h.node->core();
    if (core != nullptr && v.commitIndex == core->log().snapshotIndex()) {
        return core->log().snapshotTerm() == v.currentTerm;
    }
    return h.node->entries(v.commitIndex, v.commitIndex)[0].term == v.currentTerm;
}

// After every step of a node: M is led while one of its nodes leads with an entry of its
// term committed. A leader stays so until its role or term changes; one becomes so when
// its commitIndex reaches an entry of its term.
void World::observeStanding(NodeId id, const NodeView& before, const NodeView& after) {
    if (!raft::contains(standing_->majority, id)) return;
    const bool was = raft::contains(standingLed_, id);
    const bool same = before.role == raft::Role::Leader && after.role == raft::Role::Leader &&
                      before.currentTerm == after.currentTerm;
    const bool led = after.role == raft::Role::Leader &&
                     ((was && same) || (after.commitIndex > before.commitIndex && leadsOwnTerm(id)));
    if (led == was) return;
    const bool wasLed = standingLed_ != 0;
    standingLed_ = static_cast<raft::NodeSet>(led ? standingLed_ | raft::nodeBit(id)
                                                  : standingLed_ & ~raft::nodeBit(id));
    if (!wasLed && standingLed_ != 0) {
        endStandingGap(/*stillStalled=*/false);
    } else if (wasLed && standingLed_ == 0) {
        unledSinceUs_ = std::max(now_, standingStartUs_);
    }
}

// A gap without a leader of M ends (or the phase ends within one). The first, from the
// heal, may last as long as a follower of M takes to catch up on what was committed while
// it was cut off (its backlog over the message size limit, in round trips, not timeouts):
// the liveness phase bounds it. Each later one is a re-election of a caught-up M, and
// over kStandingBoundTimeouts it is a liveness finding.
void World::endStandingGap(bool stillStalled) {
    if (!standingEverLed_) {
        standingEverLed_ = !stillStalled;
        if (stillStalled) {
            checker_.reportLiveness(findings::standingFaultNoLeader(describe(*standing_), options_.livenessPhaseUs,
                                                                    nodeStates()));
        }
        return;
    }
    const std::int64_t gap =
        milliTimeouts(std::max<Micros>(0, now_ - unledSinceUs_), options_.electionTimeoutMinUs);
    stats_.standingMaxGapMilliTimeouts = std::max(stats_.standingMaxGapMilliTimeouts, gap);
    if (gap <= std::int64_t{kStandingBoundTimeouts} * 1000) return;
    checker_.reportLiveness(findings::standingFaultStalled(describe(*standing_), gap, kStandingBoundTimeouts,
                                                           stillStalled, nodeStates()));
}

}  // namespace sim
