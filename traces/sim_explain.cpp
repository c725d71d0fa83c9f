#include "traces/sim_explain.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "traces/explain.hpp"

namespace traces {

namespace {

raft::Message partial(const sim::EventRecord& e) {
    raft::Message m{};
    m.kind = e.msgKind;
    m.from = e.from;
    m.to = e.node;
    m.term = e.msgTerm;
    return m;
}

bool votedFor(const raft::Node& n, const sim::EventRecord& e) {
    return n.votedFor() == e.from && n.currentTerm() == e.msgTerm;
}

// How far two logs agree from index 1, by term (what the consistency check compares).
raft::Index matching(const raft::Node& a, const raft::Node& b) {
    const raft::Index n = std::min(a.log().lastIndex(), b.log().lastIndex());
    raft::Index k = 0;
    while (k < n && a.log().termAt(k + 1) == b.log().termAt(k + 1)) ++k;
    return k;
}

std::string logEnd(const raft::Node& n) { return fmt::format("({},t{})", n.log().lastIndex(), n.log().lastTerm()); }

}  // namespace

std::vector<std::string> SimExplainer::next(const sim::EventRecord& e, const sim::World& world) {
    nodes_.resize(static_cast<std::size_t>(world.nodeCount()));
    world_ = &world;
    std::vector<std::string> out;
    const raft::Node* after = e.node == raft::kNoNode ? nullptr : world.node(e.node);
    const std::optional<raft::Node>& before = e.node == raft::kNoNode ? std::nullopt : nodes_[e.node];
    if (after != nullptr && before && e.stepped) {
        if (e.kind == sim::EventKind::Deliver) out.push_back("why: " + why(e, *before, *after));
        if (const auto c = explainCommit(*before, *after)) out.push_back(fmt::format("n{} {}", e.node, *c));
    }
    ends_.push_back(after != nullptr ? LogEnd{e.node, after->log().lastIndex(), after->log().lastTerm()} : LogEnd{});
    for (int i = 0; i < world.nodeCount(); ++i) {
        const raft::Node* n = world.node(static_cast<raft::NodeId>(i));
        if (n == nullptr) {
            nodes_[i].reset();
        } else if (i == e.node || !nodes_[i]) {
            nodes_[i] = *n;
        }
    }
    return out;
}

std::string SimExplainer::why(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const {
    raft::Message m = partial(e);
    switch (m.kind) {
        case raft::MsgKind::RequestVote:
            return m.term < before.currentTerm() ? explainReceive(before, m).text : vote(e, before, after);
        case raft::MsgKind::RequestVoteResponse:
            // Whether it granted is read off the candidate: counted, or made it leader.
            m.success = (raft::contains(after.votesGranted(), e.from) && !raft::contains(before.votesGranted(), e.from)) ||
                        (after.role() == raft::Role::Leader && before.role() == raft::Role::Candidate);
            return explainReceive(before, m).text;
        case raft::MsgKind::AppendEntries: return append(e, before, after);
        case raft::MsgKind::AppendEntriesResponse: {
            if (m.term != before.currentTerm() || before.role() != raft::Role::Leader) return explainReceive(before, m).text;
            const raft::Index had = before.progress(e.from).matchIndex;
            const raft::Index has = after.progress(e.from).matchIndex;
            if (has > had) return fmt::format("{} holds up to index {} (was {})", e.from, has, had);
            return fmt::format("{} holds nothing new (match {}); next index to send it: {}", e.from, has,
                               after.progress(e.from).nextIndex);
        }
    }
    return explainReceive(before, m).text;
}

std::string SimExplainer::vote(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const {
    raft::Message m = partial(e);
    if (e.sentEvent > 0 && e.sentEvent <= ends_.size() && ends_[e.sentEvent - 1].node == e.from) {
        m.lastLogIndex = ends_[e.sentEvent - 1].index;
        m.lastLogTerm = ends_[e.sentEvent - 1].term;
    }
    const Why w = explainReceive(before, m);
    const bool granted = votedFor(after, e);
    if ((w.answer == Answer::Granted) == granted) return w.text;
    // The candidate's log when it asked is not what the sender's log end says: say what
    // happened, and what can be told.
    return fmt::format("{}: our log ends at {} (the candidate's log when it asked is not in the trace)",
                       granted ? "granted" : "refused", logEnd(before));
}

std::string SimExplainer::append(const sim::EventRecord& e, const raft::Node& before, const raft::Node& after) const {
    const raft::Message m = partial(e);
    // With prevLogIndex unknown (read as 0), only the term rules can refuse or ignore it.
    const Why byTerm = explainReceive(before, m);
    if (byTerm.answer != Answer::Accepted) return byTerm.text;
    const std::string prelude = byTerm.text.substr(0, byTerm.text.find("accepted: "));
    const bool changed = after.log().lastIndex() != before.log().lastIndex() || after.log().lastTerm() != before.log().lastTerm() ||
                         after.commitIndex() != before.commitIndex();
    if (changed) {
        return fmt::format("{}accepted: our log now ends at {} (was {}), commit {}", prelude, logEnd(after), logEnd(before),
                           after.commitIndex());
    }
    const raft::Node* sender = world_->node(e.from);
    if (sender != nullptr && sender->role() == raft::Role::Leader && sender->currentTerm() == m.term) {
        const raft::Index held = matching(before, *sender);
        if (held == sender->log().lastIndex()) {
            return fmt::format("{}accepted: our log holds all of the leader's (up to {}), so its prevLogIndex matches; "
                               "nothing new, commit {}", prelude, logEnd(*sender), after.commitIndex());
        }
        return fmt::format("{}log {} and commit {} unchanged; we match the leader's log up to index {} of {}: "
                           "rejected if its prevLogIndex lay past {}, else a heartbeat that matched (simulator traces "
                           "do not record prevLogIndex)", prelude, logEnd(after), after.commitIndex(), held,
                           sender->log().lastIndex(), held);
    }
    return fmt::format("{}term {} is current; log {} and commit {} unchanged: a heartbeat that matched, or a "
                       "consistency check at prevLogIndex that failed (simulator traces do not record prevLogIndex)",
                       prelude, m.term, logEnd(after), after.commitIndex());
}

}  // namespace traces
