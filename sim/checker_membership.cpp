// The checks of runs with membership changes (thesis §4.1-§4.3). Each node's
// configuration is read from raftsim's core after every step.
//
// - configuration-safety (thesis §4.1): a leader's log holds at most one uncommitted
//   configuration entry, so consecutive configurations differ by one server and any two
//   of their majorities overlap.
// - removed-leader-steps-down (thesis §4.2.2): a leader whose removal (or demotion) is
//   committed steps down. The core does so in the step that commits the entry; the bound
//   allows one heartbeat of slack, for a Raft that steps down on its next tick instead.
// - commit-quorum counts the voters of the configuration a node that lacks an entry would
//   campaign with (its own), not every host: spare hosts start outside the cluster.
#include <fmt/format.h>

#include "sim/checker.hpp"

namespace sim {

using raft::Index;
using raft::NodeId;
using raft::NodeSet;
using raft::Role;
using raft::Term;

namespace findings {

Finding uncommittedConfigurations(NodeId leader, Term term, Index first, Index second, Index commitIndex) {
    return {Property::ConfigurationSafety,
            fmt::format("leader {} of term {} holds two uncommitted configuration entries, at "
                        "{} and {} (commitIndex={}): consecutive configurations may then "
                        "differ by two servers and elect leaders with disjoint majorities",
                        leader, term, first, second, commitIndex)};
}

Finding removedLeaderLeads(NodeId leader, Term term, NodeSet voters, Index membershipIndex,
                           Index commitIndex, int heartbeats, int bound) {
    return {Property::RemovedLeaderStepsDown,
            fmt::format("leader {} of term {} still leads {} of its heartbeats after the "
                        "configuration at {} (voters {}, without it) committed "
                        "(commitIndex={}; bound {})",
                        leader, term, heartbeats, membershipIndex, idSet(voters), commitIndex, bound)};
}

}  // namespace findings

void Checker::enableMembership() {
    membership_ = true;
    configurations_.assign(prefixHash_.size(), raft::Membership{});
    removedTicks_.assign(prefixHash_.size(), 0);
}

void Checker::afterMembershipStep(const NodeView& before, const NodeView& after,
                                  const NodeUnderTest& node) {
    const raft::Node* core = node.core();
    if (core == nullptr) return;
    configurations_[after.id] = core->membership();
    if (after.role == Role::Leader) checkUncommittedConfigurations(before, after, node);
}

// Called after a leader's step: scans what it appended (or, once elected, its whole
// uncommitted tail) for configuration entries, and on finding one looks for another
// between it and the committed prefix. Committed means committed anywhere: a leader that
// restarted has its commitIndex back at 0 until it learns it again.
void Checker::checkUncommittedConfigurations(const NodeView& before, const NodeView& leader,
                                             const NodeUnderTest& node) {
    const Index committed = std::max<Index>(leader.commitIndex, std::min<Index>(committed_.size(), leader.lastIndex));
    const bool elected = before.role != Role::Leader || before.currentTerm != leader.currentTerm;
    const Index from = elected ? committed + 1 : std::max(before.lastIndex, committed) + 1;
    if (from > leader.lastIndex) return;
    const std::span<const raft::Entry> fresh = node.entries(from, leader.lastIndex);
    for (std::size_t k = fresh.size(); k-- > 0;) {
        if (fresh[k].kind != raft::EntryKind::Configuration) continue;
        const Index second = from + k;
        if (second <= committed + 1) return;
        const std::span<const raft::Entry> tail = node.entries(committed + 1, second - 1);
        for (std::size_t j = tail.size(); j-- > 0;) {
            if (tail[j].kind == raft::EntryKind::Configuration) {
                fail(findings::uncommittedConfigurations(leader.id, leader.currentTerm,
                                                         committed + 1 + j, second,
                                                         committed));
                return;
            }
        }
        return;
    }
}

void Checker::afterHeartbeatMembership(const NodeView& node, const raft::Membership& membership,
                                       Index membershipIndex) {
    int& ticks = removedTicks_[node.id];
    const bool removed = node.role == Role::Leader && !membership.isVoter(node.id) &&
                         membershipIndex <= node.commitIndex;
    if (!removed) {
        ticks = 0;
        return;
    }
    ticks += 1;
    if (ticks > kRemovedLeaderBound) {
        fail(findings::removedLeaderLeads(node.id, node.currentTerm, membership.voters, membershipIndex,
                                          node.commitIndex, ticks, kRemovedLeaderBound));
    }
}

// As checkCommitQuorum, with each candidate counting only the voters of its own
// configuration (a node that is no voter there never campaigns).
void Checker::checkCommitQuorumMembership(Index index) {
    const auto hosts = static_cast<NodeId>(prefixHash_.size());
    for (NodeId c = 0; c < hosts; ++c) {
        const std::vector<std::uint64_t>& mirror = prefixHash_[c];
        if (mirror.size() >= index && mirror[index - 1] == committed_[index - 1]) continue;
        const raft::Membership& config = configurations_[c];
        if (!config.isVoter(c)) continue;
        int votes = 0;
        for (NodeSet set = config.voters; set != 0; set &= static_cast<NodeSet>(set - 1)) {
            votes += upToDate(c, static_cast<NodeId>(__builtin_ctz(set))) ? 1 : 0;
        }
        if (votes >= config.quorum()) {
            fail(findings::committedWithoutConfigQuorum(index, c, config.voters, mirror.size(),
                                                        lastTerm_[c], votes, config.quorum()));
            return;
        }
    }
}

}  // namespace sim
