#include "sim/mc/dead.hpp"

#include <fmt/format.h>

namespace mc {

using raft::Message;
using raft::MsgKind;
using raft::Node;
using raft::Role;
using raft::Term;

namespace {

// Every node's term only grows (terms are durable), and none passes maxTerm.

// A vote answer changes only a candidate of its term that has not yet counted it.
bool deadVoteAnswer(const Message& m, const Node& to) {
    if (m.term < to.currentTerm()) return true;  // stale answers are dropped
    if (!m.success) return m.term == to.currentTerm();  // a refusal only carries its term
    if (m.term > to.currentTerm()) return false;
    // A node leaves candidacy of a term for good: becoming a candidate starts a new term.
    if (to.role() != Role::Candidate) return true;
    return (to.votesGranted() & raft::nodeBit(m.from)) != 0;
}

// An append answer changes only a leader of its term (a candidate of that term may
// still become it); a term-only answer (rejectedIndex 0) carries nothing but its term.
bool deadAppendAnswer(const Message& m, const Node& to) {
    if (m.term < to.currentTerm()) return true;
    if (m.term > to.currentTerm()) return false;
    if (!m.success && m.rejectedIndex == 0) return true;
    return to.role() == Role::Follower;
}

// A request its receiver will refuse now and later is answered with a refusal or a
// term alone; if the sender already holds the highest term there is, the answer can
// never tell it anything.
bool deadRequest(const Message& m, const Node& from, const Node& to, Term maxTerm) {
    if (from.currentTerm() < maxTerm) return false;
    if (m.term < to.currentTerm()) return true;  // answered with a term alone
    if (m.kind != MsgKind::RequestVote || m.term != to.currentTerm()) return false;
    // This term's vote went to another node; votedFor is durable and fixed within a term.
    return to.votedFor() != raft::kNoNode && to.votedFor() != m.from;
}

}  // namespace

bool isDead(const Message& m, const Node& from, const Node& to, Term maxTerm) {
    switch (m.kind) {
        case MsgKind::RequestVoteResponse: return deadVoteAnswer(m, to);
        case MsgKind::AppendEntriesResponse: return deadAppendAnswer(m, to);
        case MsgKind::RequestVote:
        case MsgKind::AppendEntries: return deadRequest(m, from, to, maxTerm);
        case MsgKind::PreVote:
        case MsgKind::PreVoteResponse: return false;  // not covered (deadRulesCover)
        case MsgKind::TimeoutNow:
        case MsgKind::ReadIndex:
        case MsgKind::ReadIndexResponse:
        case MsgKind::InstallSnapshot: return false;  // kept: the rules do not judge them
    }
    return false;
}

bool sameDeadView(const Node& a, const Node& b) {
    return a.currentTerm() == b.currentTerm() && a.role() == b.role() && a.votedFor() == b.votedFor() &&
           a.votesGranted() == b.votesGranted();
}

std::string knownToBreakDeadRules(const raft::BugSet& bugs) {
    using raft::Bug;
    for (const Bug bug : {Bug::StaleTermAppend, Bug::StaleVoteCounted, Bug::DuplicateVoteCounted,
                          Bug::VoteResetSameTerm, Bug::ForgetVote, Bug::PreVoteCountedAsVote}) {
        if (bugs.has(bug)) {
            return fmt::format("--bug {} changes what a node does with messages the rules call dead",
                               raft::bugInfo(bug).name);
        }
    }
    return {};
}

}  // namespace mc
