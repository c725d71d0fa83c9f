// The scenario commands of membership changes and snapshots (thesis §4.1-§4.3, §5.1):
// `change NODE KIND SERVER` and `snapshot NODE`.
#include <fmt/format.h>

#include "core/membership.hpp"
#include "traces/explain.hpp"
#include "traces/scenario/command_util.hpp"
#include "traces/scenario/words.hpp"

namespace scenario::detail {

namespace {

constexpr raft::ChangeKind kKinds[] = {raft::ChangeKind::AddVoter, raft::ChangeKind::AddLearner,
                                       raft::ChangeKind::DemoteVoter, raft::ChangeKind::RemoveServer};

raft::ChangeKind changeKindArg(const std::string& text) {
    for (const raft::ChangeKind kind : kKinds) {
        if (text == raft::name(kind)) return kind;
    }
    bad(fmt::format("unknown change '{}' (add-voter, add-learner, demote-voter, remove-server)", text));
}

// The leader's refusal of `e`, if it refuses: a refused change changes nothing, so the
// model does not take it as a step; the scenario shows the answer and goes on.
std::optional<raft::ChangeReply> refusal(const Session& s, const mc::Event& e) {
    for (const raft::Action& a : s.model().actionsOf(s.state(), e)) {
        const auto* reply = std::get_if<raft::ChangeReply>(&a);
        if (reply != nullptr && !reply->accepted) return *reply;
    }
    return std::nullopt;
}

}  // namespace

// A ChangeMembership at NODE (a leader, or any node, to see it refused).
Output change(Context& ctx, const Words& w) {
    wantArgs(w, 3, 3, "change NODE add-voter|add-learner|demote-voter|remove-server SERVER");
    Session& s = session(ctx);
    const raft::NodeId node = nodeArg(s, w[1]);
    const raft::ChangeKind kind = changeKindArg(w[2]);
    const raft::NodeId server = nodeArg(s, w[3]);
    if (s.model().bounds().configChanges == 0) bad("the cluster has no membership changes (cluster N spares=K, or membership)");
    if ((s.state().env[node] & mc::kUp) == 0) bad(fmt::format("node {} is down", node));
    const mc::Event e{.kind = mc::EventKind::Change, .node = node, .value = mc::packChange(kind, server)};
    if (const auto r = refusal(s, e)) {
        if (s.violation()) bad("no step can follow a violation (the path ends there)");
        return {s.model().describe(e), "  why: " + traces::explainChangeReply(*r), "  (nothing changes: not a step of the path)"};
    }
    return s.apply(e);
}

// A TakeSnapshot at NODE: its state machine up to its applied index (§5.1).
Output snapshot(Context& ctx, const Words& w) {
    wantArgs(w, 1, 1, "snapshot NODE");
    Session& s = session(ctx);
    const raft::NodeId node = nodeArg(s, w[1]);
    if (s.model().bounds().snapshots == 0) bad("the cluster takes no snapshots (cluster N snapshots)");
    if ((s.state().env[node] & mc::kUp) == 0) bad(fmt::format("node {} is down", node));
    const raft::Node& n = s.model().node(s.state(), node);
    if (n.lastApplied() <= n.log().snapshotIndex()) {
        bad(fmt::format("node {} applied nothing since its snapshot (applied {}, snapshot at {})", node, n.lastApplied(),
                        n.log().snapshotIndex()));
    }
    return s.apply(mc::Event{.kind = mc::EventKind::Snapshot, .node = node, .value = static_cast<std::uint32_t>(n.lastApplied())});
}

}  // namespace scenario::detail
