// Explanations of membership changes and snapshots (thesis §4.1-§4.3, §5.1): a leader's
// answer to a change, the catch-up rounds of a new voter, a configuration taking effect,
// a snapshot taken.
#include <fmt/format.h>

#include "sim/findings.hpp"
#include "traces/explain.hpp"

namespace traces {

namespace {

using sim::findings::idSet;

std::string refusalText(const raft::ChangeReply& r) {
    switch (r.reason) {
        case raft::ChangeRefusal::NotLeader:
            return r.leaderHint == raft::kNoNode ? "only a leader changes the configuration"
                                                 : fmt::format("only a leader changes the configuration (try n{})", r.leaderHint);
        case raft::ChangeRefusal::InProgress:
            return "one change at a time (§4.1): a configuration entry is uncommitted, a server is being caught up, "
                   "or leadership is being handed over";
        case raft::ChangeRefusal::TermNotCommitted:
            return "no entry of our term is committed yet (§4.1: a new leader first commits one, so that a change "
                   "of an earlier leader cannot be lost under ours)";
        case raft::ChangeRefusal::CatchUpFailed:
            return fmt::format("n{} did not catch up in {} rounds of an election timeout each (§4.2.1)", r.node,
                               raft::kCatchUpRounds);
        case raft::ChangeRefusal::InvalidMember:
            return "the change makes no sense for this configuration";
        case raft::ChangeRefusal::None: break;
    }
    return "";
}

}  // namespace

std::string explainChangeReply(const raft::ChangeReply& r) {
    const std::string change = fmt::format("{} {}", raft::name(r.kind), r.node);
    if (!r.accepted) return fmt::format("change {} refused ({}): {}", change, raft::name(r.reason), refusalText(r));
    return fmt::format("change {} accepted: the configuration entry is at ({},t{}); it takes effect in our log at "
                       "once, and is safe once committed (§4.1)",
                       change, r.index, r.term);
}

std::optional<std::string> explainCatchUp(const raft::Node& before, const raft::Node& after) {
    const raft::NodeId server = after.catchUpNode();
    if (server == raft::kNoNode) return std::nullopt;
    if (server == before.catchUpNode() && after.catchUpRound() == before.catchUpRound()) return std::nullopt;
    return fmt::format("catching n{} up before it votes (§4.2.1): round {} of at most {}, until it holds our log "
                       "up to {} (a round within an election timeout ends the catch-up)",
                       server, after.catchUpRound(), raft::kCatchUpRounds, after.log().lastIndex());
}

std::optional<std::string> explainConfiguration(raft::NodeId id, const raft::Node& before, const raft::Node& after) {
    // An index that moves alone (a snapshot now holds the entry) is no change.
    if (before.membership() == after.membership()) return std::nullopt;
    const raft::Index at = after.membershipIndex();
    const std::string where =
        at == 0 ? "bootstrap" : fmt::format("entry {}, {}", at, at <= after.commitIndex() ? "committed" : "uncommitted");
    return fmt::format("n{} configuration: voters {} learners {} ({})", id, idSet(after.membership().voters),
                       idSet(after.membership().learners), where);
}

std::optional<std::string> explainSnapshotTaken(raft::NodeId id, const raft::Node& before, const raft::Node& after) {
    const raft::Index at = after.log().snapshotIndex();
    if (at <= before.log().snapshotIndex()) return std::nullopt;
    return fmt::format("n{} snapshots its state machine up to ({},t{}) and discards those entries from its log (§5.1); "
                       "the snapshot keeps the configuration there",
                       id, at, after.log().snapshotTerm());
}

}  // namespace traces
