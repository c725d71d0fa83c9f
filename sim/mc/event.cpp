#include "sim/mc/event.hpp"

#include <fmt/format.h>

#include "sim/findings.hpp"

namespace mc {

std::string_view name(EventKind kind) {
    switch (kind) {
        case EventKind::Deliver: return "deliver";
        case EventKind::Drop: return "drop";
        case EventKind::Duplicate: return "duplicate";
        case EventKind::Timeout: return "timeout";
        case EventKind::Crash: return "crash";
        case EventKind::Restart: return "restart";
        case EventKind::Client: return "client";
        case EventKind::DiskDone: return "disk-done";
        case EventKind::Transfer: return "transfer";
        case EventKind::Read: return "read";
        case EventKind::Change: return "change";
        case EventKind::Snapshot: return "snapshot";
    }
    return "?";
}

std::string describe(const raft::Message& m) {
    std::string s = fmt::format("{} {}->{} term={}", raft::name(m.kind), m.from, m.to, m.term);
    switch (m.kind) {
        case raft::MsgKind::RequestVote:
        case raft::MsgKind::PreVote:
            s += fmt::format(" last=({},{})", m.lastLogIndex, m.lastLogTerm);
            break;
        case raft::MsgKind::RequestVoteResponse:
        case raft::MsgKind::PreVoteResponse:
            s += m.success ? " granted" : " refused";
            break;
        case raft::MsgKind::AppendEntries: {
            std::string terms;
            for (const raft::Entry& e : m.entries) {
                terms += fmt::format("{}{}", terms.empty() ? "" : ",", e.term);
            }
            s += fmt::format(" prev=({},{}) entries=[{}] commit={}", m.prevLogIndex, m.prevLogTerm,
                             terms, m.leaderCommit);
            break;
        }
        case raft::MsgKind::AppendEntriesResponse:
            s += m.success ? fmt::format(" ok match={}", m.matchIndex)
                           : fmt::format(" reject at={} conflict=({},{})", m.rejectedIndex,
                                         m.conflictIndex, m.conflictTerm);
            break;
        case raft::MsgKind::TimeoutNow:
        case raft::MsgKind::ReadIndex: break;
        case raft::MsgKind::ReadIndexResponse:
            s += m.success ? fmt::format(" index={}", m.matchIndex) : " refused";
            break;
        case raft::MsgKind::InstallSnapshot:
            s += fmt::format(" last=({},{}) commit={}", m.lastLogIndex, m.lastLogTerm, m.leaderCommit);
            if (m.snapshotVoters != 0) s += " voters=" + sim::findings::idSet(m.snapshotVoters);
            if (m.snapshotLearners != 0) s += " learners=" + sim::findings::idSet(m.snapshotLearners);
            break;
    }
    // Set only with transfers and reads, so other messages read as they always did.
    if (m.leadershipTransfer) s += " transfer";
    if (m.readRound != 0) s += fmt::format(" round={}", m.readRound);
    return s;
}

std::string describeInput(const Event& e) {
    if (e.kind == EventKind::Read) return fmt::format("read {} at node {}", e.value, e.node);
    if (e.kind == EventKind::Change) {
        return fmt::format("change {} {} at node {}", raft::name(changeKindOf(e.value)), changeServerOf(e.value),
                           e.node);
    }
    if (e.kind == EventKind::Snapshot) return fmt::format("snapshot node {} at {}", e.node, e.value);
    if (e.value == raft::kNoNode) return fmt::format("transfer node {} to the most up to date", e.node);
    return fmt::format("transfer node {} to {}", e.node, e.value);
}

std::string describe(const Event& e, const raft::Message& m) {
    switch (e.kind) {
        case EventKind::Deliver:
        case EventKind::Drop:
        case EventKind::Duplicate:
            return fmt::format("{} {}", name(e.kind), describe(m));
        case EventKind::Timeout:
            return fmt::format("timeout node {} {}", e.node,
                               e.timer == raft::Timer::Election ? "election" : "heartbeat");
        case EventKind::Client:
            return fmt::format("client value {} to node {}", e.value, e.node);
        case EventKind::Crash:
        case EventKind::Restart:
        case EventKind::DiskDone:
            return fmt::format("{} node {}", name(e.kind), e.node);
        case EventKind::Transfer:
        case EventKind::Read:
        case EventKind::Change:
        case EventKind::Snapshot: return describeInput(e);
    }
    return "?";
}

}  // namespace mc
