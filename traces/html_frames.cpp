#include "traces/html_frames.hpp"

namespace traces::html {

NodeView viewOf(const raft::Node* n, int timers) {
    NodeView v;
    v.timers = timers;
    if (n == nullptr) {
        v.role = 3;
        return v;
    }
    // The page's roles: 0 follower, 1 candidate, 2 leader, 3 down, 4 pre-candidate.
    v.role = n->role() == raft::Role::PreCandidate ? 4 : static_cast<int>(n->role());
    v.term = n->currentTerm();
    v.vote = n->votedFor() == raft::kNoNode ? -1 : static_cast<int>(n->votedFor());
    v.commit = n->commitIndex();
    v.log.reserve(n->log().lastIndex());
    // Entries a snapshot replaced have no term left: shown as term 0.
    for (raft::Index i = 1; i <= n->log().lastIndex(); ++i) {
        v.log.push_back(i < n->log().snapshotIndex() ? 0 : n->log().termAt(i));
    }
    if (n->membershipIndex() != 0 || n->log().snapshotIndex() != 0) {
        v.voters = static_cast<int>(n->membership().voters);
        v.learners = static_cast<int>(n->membership().learners);
        v.snapshot = n->log().snapshotIndex();
    }
    return v;
}

HtmlJson row(int i, const NodeView& before, const NodeView& after) {
    std::size_t keep = 0;
    while (keep < before.log.size() && keep < after.log.size() && before.log[keep] == after.log[keep]) ++keep;
    HtmlJson appended = HtmlJson::array();
    for (std::size_t k = keep; k < after.log.size(); ++k) appended.push_back(after.log[k]);
    HtmlJson r = HtmlJson::array({i, after.role, after.term, after.vote, after.commit, keep, appended});
    if (after.timers >= 0 || after.voters >= 0) r.push_back(after.timers);
    if (after.voters >= 0) r.push_back(HtmlJson::array({after.voters, after.learners, after.snapshot}));
    return r;
}

HtmlJson frame(std::int64_t time, const std::string& label, int node) {
    HtmlJson f = HtmlJson::object();
    f["t"] = time;
    f["l"] = label;
    f["n"] = node;
    return f;
}

int kindCode(raft::MsgKind kind) {
    switch (kind) {
        case raft::MsgKind::RequestVote: return 0;
        case raft::MsgKind::RequestVoteResponse: return 1;
        case raft::MsgKind::AppendEntries: return 2;
        case raft::MsgKind::AppendEntriesResponse: return 3;
        case raft::MsgKind::PreVote: return 4;
        case raft::MsgKind::PreVoteResponse: return 5;
        case raft::MsgKind::TimeoutNow: return 6;
        case raft::MsgKind::ReadIndex: return 7;
        case raft::MsgKind::ReadIndexResponse: return 8;
        case raft::MsgKind::InstallSnapshot: return 9;
    }
    return 0;
}

}  // namespace traces::html
