// Membership changes in the simulated world (thesis §4.1-§4.3): an operator asks the
// leader, now and then, to add a spare or removed server as a voter or a learner, promote
// a learner, demote or remove a voter (the leader too), or replace a voter (add one, then
// remove another). Sometimes it asks a random node instead, to exercise refusals. Its
// choices come from a stream of its own (`choices.membership` in traces).
#include <utility>

#include "sim/membership_ref.hpp"
#include "sim/world.hpp"

namespace sim {

using raft::ChangeKind;
using raft::NodeId;
using raft::NodeSet;

namespace {

// The largest number of voters the operator grows the cluster to.
constexpr int kMaxVoters = 7;

// What the operator draws: one of these, then a server it applies to.
enum class Ask : std::uint8_t { AddVoter, AddLearner, Promote, Demote, Remove, Replace, Count_ };

}  // namespace

void World::scheduleMembership() {
    schedule(now_ + membershipRng_.between(200'000, 1'500'000), EventKind::Membership);
}

// The operator asks the node it takes for the leader (the one that leads the highest term)
// or, one time in eight or when none leads, a random host. The change is drawn against the
// configuration that node uses. The operator stops when the faults do.
void World::changeMembership() {
    lastChangeNode_ = raft::kNoNode;
    lastChange_ = 0;
    if (livenessStartUs_ >= 0) return;
    NodeId asked = raft::kNoNode;
    for (NodeId id = 0; id < nodeCount(); ++id) {
        const Host& h = hosts_[id];
        if (!h.node || h.view.role != raft::Role::Leader) continue;
        if (asked == raft::kNoNode || h.view.currentTerm > hosts_[asked].view.currentTerm) asked = id;
    }
    const bool stray = membershipRng_.below(8) == 0;
    if (stray || asked == raft::kNoNode) {
        asked = static_cast<NodeId>(membershipRng_.below(static_cast<std::uint64_t>(nodeCount())));
    }
    const raft::Node* core = node(asked);
    const raft::Membership current =
        core != nullptr ? core->membership() : raft::Membership{.voters = nodeConfig(0).voters()};
    const std::optional<raft::ChangeMembership> change = drawChange(current);
    scheduleMembership();
    if (!change) return;
    lastChangeNode_ = asked;
    lastChange_ = membershipRef(*change);
    Host& h = hosts_[asked];
    if (!h.node || h.pausedUntil > now_) return;
    stats_.membershipAsked += 1;
    stepNode(asked, *change);
    // The reply of the step (carried out now, or once the entry is durable), for traces.
    // Executing moved the actions out; a ChangeReply's fields stay as they were.
    for (const raft::Action& action : actions_) {
        if (const auto* reply = std::get_if<raft::ChangeReply>(&action)) lastChange_ = withReply(lastChange_, *reply);
    }
}

// A change for configuration `current`, or nullopt when the drawn kind has no server to
// apply to. The cluster keeps 1..kMaxVoters voters, and the operator follows two rules
// that keep the core live (Raft as specified would stall, not break):
// - It shrinks only a configuration of 3 or more voters. Shrinking 2 to 1 stalls when the
//   leaving voter alone holds the new configuration: it no longer campaigns, and the one
//   left needs its vote, which the longer log refuses.
// - A single voter adds voters only by promoting a learner. A spare host holds no
//   configuration entry until the new one reaches it, and disregards the RequestVote of
//   a voter it does not know (§4.2.3): if the lone voter crashed first, none is elected.
std::optional<raft::ChangeMembership> World::drawChange(const raft::Membership& current) {
    const int voters = raft::countOf(current.voters);
    if (replaceRemoves_ != raft::kNoNode) {  // the second half of a replace
        const NodeId removed = std::exchange(replaceRemoves_, raft::kNoNode);
        if (current.isVoter(removed) && voters < 3) return std::nullopt;  // the add did not happen
        return raft::ChangeMembership{.kind = ChangeKind::RemoveServer, .node = removed};
    }
    const auto hosts = static_cast<NodeSet>((1u << nodeCount()) - 1u);
    const auto outside = static_cast<NodeSet>(hosts & ~current.members());
    const NodeSet shrinkable = voters >= 3 ? current.voters : NodeSet{0};
    const NodeSet growable = voters >= 2 && voters < kMaxVoters ? outside : NodeSet{0};
    const auto ask = static_cast<Ask>(membershipRng_.below(static_cast<std::uint64_t>(Ask::Count_)));
    NodeSet from = 0;
    ChangeKind kind = ChangeKind::AddVoter;  // AddVoter, Promote and Replace add a voter
    switch (ask) {
        case Ask::AddVoter:
        case Ask::Replace: from = growable; break;
        case Ask::AddLearner:
            from = outside;
            kind = ChangeKind::AddLearner;
            break;
        case Ask::Promote: from = voters < kMaxVoters ? current.learners : NodeSet{0}; break;
        case Ask::Demote:
            from = shrinkable;
            kind = ChangeKind::DemoteVoter;
            break;
        case Ask::Remove:
            from = static_cast<NodeSet>(shrinkable | current.learners);
            kind = ChangeKind::RemoveServer;
            break;
        case Ask::Count_: break;
    }
    if (from == 0) return std::nullopt;
    auto pick = membershipRng_.below(static_cast<std::uint64_t>(raft::countOf(from)));
    NodeSet set = from;
    for (; pick > 0; --pick) set &= static_cast<NodeSet>(set - 1);
    const auto server = static_cast<NodeId>(__builtin_ctz(set));
    if (ask == Ask::Replace) {
        auto out = membershipRng_.below(static_cast<std::uint64_t>(voters));
        NodeSet v = current.voters;
        for (; out > 0; --out) v &= static_cast<NodeSet>(v - 1);
        replaceRemoves_ = static_cast<NodeId>(__builtin_ctz(v));
    }
    return raft::ChangeMembership{.kind = kind, .node = server};
}

void World::onChangeReply(const raft::ChangeReply& reply) {
    if (reply.accepted) {
        stats_.membershipAccepted += 1;
    } else {
        stats_.membershipRefused[static_cast<std::size_t>(reply.reason)] += 1;
    }
}

bool World::voteFromNonVoter(NodeId to, const raft::Message& m) const {
    const raft::Node* core = node(to);
    return core != nullptr && core->fromRemovedServer(m);
}

// Thesis §4.2.2: a leader whose removal (or demotion) is committed steps down.
void World::afterHeartbeatMembership(NodeId id) {
    const raft::Node* core = node(id);
    if (core == nullptr) return;
    checker_.afterHeartbeatMembership(hosts_[id].view, core->membership(), core->membershipIndex());
}

}  // namespace sim
