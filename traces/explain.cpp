#include "traces/explain.hpp"

#include <fmt/format.h>

#include "core/bugs.hpp"
#include "sim/findings.hpp"

namespace traces {

namespace {

using raft::Bug;
using raft::Index;
using raft::MsgKind;
using raft::Node;
using raft::Role;
using raft::Term;

std::string pos(Index index, Term term) { return fmt::format("({},t{})", index, term); }

// The receiver after checkTerm's higher-term step-down (§5.1): term, vote, role.
struct View {
    Term term;
    raft::NodeId votedFor;
    Role role;
    std::string prelude;  // "adopts term 3; " when the message's term was higher
};

View afterPrelude(const Node& n, const raft::Message& m) {
    if (m.term > n.currentTerm()) {
        return View{m.term, raft::kNoNode, Role::Follower, fmt::format("adopts term {} (was t{}); ", m.term, n.currentTerm())};
    }
    return View{n.currentTerm(), n.votedFor(), n.role(), ""};
}

Why vote(const Node& n, const raft::Message& m) {
    const View v = afterPrelude(n, m);
    const auto refuse = [&](const std::string& why) { return Why{Answer::Refused, v.prelude + "refused: " + why}; };
    const auto grant = [&](const std::string& why) { return Why{Answer::Granted, v.prelude + "granted: " + why}; };
    if (v.role != Role::Follower) {
        const std::string yields = v.prelude.empty() && n.yieldsTo(m)
                                       ? "; restarts our election timer: it is outside our configuration "
                                         "with a newer log, and hears our term only from us (§4.2.3)"
                                       : "";
        return refuse(fmt::format("we are the {} of term {} (voted for ourselves){}", raft::name(v.role), v.term, yields));
    }
    if (v.votedFor != raft::kNoNode && v.votedFor != m.from) {
        return refuse(fmt::format("already voted for {} in term {}", v.votedFor, v.term));
    }
    const std::string theirs = pos(m.lastLogIndex, m.lastLogTerm);
    const std::string ours = pos(n.log().lastIndex(), n.log().lastTerm());
    const std::string again = v.votedFor == m.from ? fmt::format("already voted for {} in term {}, and ", m.from, v.term) : "";
    if (n.config().bugs.has(Bug::VoteNoLogCheck)) {
        return grant(again + fmt::format("logs not compared (bug vote-no-log-check; log {} vs ours {})", theirs, ours));
    }
    bool upToDate = n.log().isUpToDate(m.lastLogIndex, m.lastLogTerm);
    std::string rule;
    if (n.config().bugs.has(Bug::VoteLogCheckWrong)) {
        upToDate = m.lastLogIndex > n.log().lastIndex() ||
                   (m.lastLogIndex == n.log().lastIndex() && m.lastLogTerm >= n.log().lastTerm());
        rule = " by index first (bug vote-log-check-wrong)";
    }
    if (!upToDate) return refuse(fmt::format("log {} is behind ours {}{}", theirs, ours, rule));
    return grant(again + fmt::format("log {} is at least as up to date as ours {}{}", theirs, ours, rule));
}

Why voteResponse(const Node& n, const raft::Message& m, const View& v) {
    if (v.role == Role::Leader) return {Answer::None, v.prelude + fmt::format("ignored: we already lead term {}", v.term)};
    if (v.role != Role::Candidate) return {Answer::None, v.prelude + "ignored: we are no longer a candidate (follower)"};
    if (!m.success) return {Answer::None, v.prelude + fmt::format("{} refused its vote", m.from)};
    raft::NodeSet votes = n.votesGranted();
    const bool dup = raft::contains(votes, m.from);
    std::string note = dup ? fmt::format(" (already counted{})", n.config().bugs.has(Bug::DuplicateVoteCounted)
                                                                       ? "; bug duplicate-vote-counted counts it again" : "")
                           : "";
    const raft::Membership& config = n.membership();
    if (dup && n.config().bugs.has(Bug::DuplicateVoteCounted)) {
        const auto missing = static_cast<raft::NodeSet>(config.voters & ~votes);
        votes = static_cast<raft::NodeSet>(votes | (missing & (~missing + 1)));
    }
    votes = static_cast<raft::NodeSet>(votes | raft::nodeBit(m.from));
    const int have = raft::countOf(static_cast<raft::NodeSet>(votes & config.voters));
    const int need = config.quorum();
    return {Answer::None, v.prelude + fmt::format("vote from {}{}: {} of {} votes, a quorum is {}{}", m.from, note, have,
                                                  raft::countOf(config.voters), need, have >= need ? ": becomes leader" : "")};
}

Why append(const Node& n, const raft::Message& m, const View& v) {
    if (n.role() == Role::Leader && m.term == n.currentTerm()) {
        return {Answer::None, fmt::format("ignored: we lead term {} too (two leaders: only a bug gets here)", m.term)};
    }
    std::string p = v.prelude;
    if (m.term == n.currentTerm() && n.role() == Role::Candidate) p += fmt::format("a leader of term {} exists: steps down; ", m.term);
    const auto reject = [&](const std::string& why) { return Why{Answer::Rejected, p + "rejected: " + why}; };
    const auto accept = [&](const std::string& why) { return Why{Answer::Accepted, p + "accepted: " + why}; };
    const bool truncBug = n.config().bugs.has(Bug::TruncateOnStaleAppend);
    if (m.prevLogIndex < n.commitIndex() && !truncBug) {
        return accept(fmt::format("prevLogIndex {} is below our commitIndex {}: what we committed matches", m.prevLogIndex,
                                  n.commitIndex()));
    }
    if (m.prevLogIndex > n.log().lastIndex()) {
        return reject(fmt::format("no entry at prevLogIndex {} (our log ends at {})", m.prevLogIndex, n.log().lastIndex()));
    }
    const Term ours = n.log().termAt(m.prevLogIndex);
    if (ours != m.prevLogTerm) {
        return reject(fmt::format("term mismatch at prevLogIndex {}: ours t{}, the leader's t{}", m.prevLogIndex, ours,
                                  m.prevLogTerm));
    }
    const std::string match = m.prevLogIndex == 0 ? "logs match before index 1"
                                                  : fmt::format("entry {} matches at prevLogIndex", pos(m.prevLogIndex, ours));
    const std::string what = m.entries.empty() ? "no entries" : fmt::format("{} {} from index {}", m.entries.size(), m.entries.size() == 1 ? "entry" : "entries", m.prevLogIndex + 1);
    return accept(fmt::format("{}; {}, leaderCommit {}", match, what, m.leaderCommit));
}

Why appendResponse(const Node& n, const raft::Message& m, const View& v) {
    if (v.role != Role::Leader) return {Answer::None, v.prelude + fmt::format("ignored: we are not a leader ({})", raft::name(v.role))};
    if (!m.success) {
        if (m.rejectedIndex == 0) return {Answer::None, "ignored: it answers an append of an earlier term"};
        return {Answer::None, fmt::format("{} rejected prevLogIndex {} (its hint: index {}{}): we back up and resend", m.from,
                                          m.rejectedIndex, m.conflictIndex,
                                          m.conflictTerm != 0 ? fmt::format(", term {}", m.conflictTerm) : "")};
    }
    const Index had = n.progress(m.from).matchIndex;
    if (m.matchIndex <= had) return {Answer::None, fmt::format("{} holds up to {}, which we knew", m.from, m.matchIndex)};
    return {Answer::None, fmt::format("{} holds up to index {} (was {})", m.from, m.matchIndex, had)};
}

// A message of an earlier term (§5.1): a request is answered with our term alone, a
// response is dropped; two bug switches take some of them as current.
Why stale(const Node& n, const raft::Message& m) {
    const bool staleAppendBug = m.kind == MsgKind::AppendEntries && n.config().bugs.has(Bug::StaleTermAppend);
    const bool staleVoteBug = m.kind == MsgKind::RequestVoteResponse && n.config().bugs.has(Bug::StaleVoteCounted);
    if (staleAppendBug || staleVoteBug) {
        const std::string bug = staleAppendBug ? "stale-term-append" : "stale-vote-counted";
        const View v{n.currentTerm(), n.votedFor(), n.role(),
                     fmt::format("stale term {} < ours {} taken as current (bug {}); ", m.term, n.currentTerm(), bug)};
        return staleAppendBug ? append(n, m, v) : voteResponse(n, m, v);
    }
    const std::string why = fmt::format("stale term {} < our term {}", m.term, n.currentTerm());
    if (m.kind == MsgKind::TimeoutNow) {
        if (n.config().bugs.has(Bug::StaleTimeoutNow) && n.role() != Role::Leader) {
            return {Answer::None, fmt::format("{}: a TimeoutNow of an earlier leader, acted on (bug stale-timeout-now): "
                                              "we start an election for term {} without pre-votes",
                                              why, n.currentTerm() + 1)};
        }
        return {Answer::None, fmt::format("ignored: {}: a TimeoutNow of an earlier leader (§3.10)", why)};
    }
    if (m.kind == MsgKind::RequestVote) return {Answer::Refused, "refused: " + why};
    if (m.kind == MsgKind::AppendEntries) return {Answer::Rejected, "rejected: " + why};
    return {Answer::None, "ignored: " + why};
}

// Thesis §3.10: the leader's transfer target campaigns at once, skipping PreVote.
Why timeoutNow(const raft::Message& m, const View& v) {
    if (v.role == Role::Leader) return {Answer::None, v.prelude + "ignored: we lead this term"};
    return {Answer::None,
            v.prelude + fmt::format("leader {} hands over its leadership (§3.10): we start an election for term {} at "
                                    "once, without pre-votes, our RequestVotes flagged as a leadership transfer",
                                    m.from, v.term + 1)};
}

}  // namespace

namespace {

// Thesis §9.6: a pre-vote changes no term, vote or timer; it only asks.
Why preVote(const Node& n, const raft::Message& m) {
    const auto refused = [](std::string why) { return Why{Answer::Refused, "pre-vote refused: " + why}; };
    if (m.term <= n.currentTerm()) {
        return refused(fmt::format("it is for term {}, not above ours ({})", m.term, n.currentTerm()));
    }
    if (n.role() == Role::Leader) return refused("we lead this term");
    if (n.role() == Role::Follower && n.leaderId() != raft::kNoNode) {
        return refused(fmt::format("we heard from leader {} since our election timer was armed (§9.6)",
                                   n.leaderId()));
    }
    if (!n.log().isUpToDate(m.lastLogIndex, m.lastLogTerm)) {
        return refused(fmt::format("its log ({},{}) is less up to date than ours ({},{}) (§5.4.1)",
                                   m.lastLogIndex, m.lastLogTerm, n.log().lastIndex(), n.log().lastTerm()));
    }
    return {Answer::Granted, fmt::format("pre-vote granted for term {}: our term and vote stay as they are (§9.6)",
                                         m.term)};
}

Why preVoteResponse(const Node& n, const raft::Message& m) {
    if (!m.success) {
        if (m.term > n.currentTerm()) {
            return {Answer::None, fmt::format("pre-vote refused at term {}: we adopt it and follow", m.term)};
        }
        return {Answer::None, "pre-vote refused"};
    }
    if (n.role() != Role::PreCandidate || m.term != n.currentTerm() + 1) {
        return {Answer::None, "ignored: we are no longer asking for pre-votes of that term"};
    }
    const raft::Membership& config = n.membership();
    const int votes = raft::countOf(static_cast<raft::NodeSet>((n.votesGranted() | raft::nodeBit(m.from)) & config.voters));
    return {Answer::None, fmt::format("pre-vote counted: {} of {} needed{}", votes, config.quorum(),
                                      votes >= config.quorum() ? ", so we start a real election" : "")};
}

// Thesis §6.4, reads on followers: the leader confirms its leadership with a round of
// heartbeats before it answers with its commitIndex as the read index.
Why readIndex(const Node& n, const raft::Message& m) {
    if (n.role() != Role::Leader) return {Answer::Refused, "read index refused: we are not the leader"};
    const bool termCommitted = n.log().termAt(n.commitIndex()) == n.currentTerm();
    if (!termCommitted && !n.config().bugs.has(Bug::ReadIndexBeforeTermCommit)) {
        return {Answer::None, fmt::format("read of follower n{} held until an entry of our term {} is committed "
                                          "(§6.4 step 1)", m.from, n.currentTerm())};
    }
    return {Answer::None, fmt::format("read of follower n{}: read index {}, confirmed by a round of heartbeats "
                                      "to a majority (§6.4){}", m.from, n.commitIndex(),
                                      termCommitted ? "" : " (bug read-index-before-term-commit: our term has "
                                                           "no committed entry yet)")};
}

Why readIndexResponse(const Node& n, const raft::Message& m) {
    if (!m.success) return {Answer::None, "the leader refused our read: it is refused to the client"};
    if (n.config().bugs.has(Bug::FollowerReadBeforeApply)) {
        return {Answer::None, fmt::format("read index {}: answered at once from our state machine at {} "
                                          "(bug follower-read-before-apply)", m.matchIndex, n.lastApplied())};
    }
    if (m.matchIndex <= n.lastApplied()) {
        return {Answer::None, fmt::format("read index {} <= applied {}: the read is answered", m.matchIndex,
                                          n.lastApplied())};
    }
    return {Answer::None, fmt::format("read index {} > applied {}: the read waits until we apply that far (§6.4)",
                                      m.matchIndex, n.lastApplied())};
}

}  // namespace

// Figure 13, receiver implementation (core/snapshot.cpp). The message carries the
// snapshot's last included index and term in lastLogIndex and lastLogTerm.
static Why installSnapshot(const Node& n, const raft::Message& m, const View& v) {
    if (n.role() == Role::Leader && m.term == n.currentTerm()) {
        return {Answer::None, fmt::format("ignored: we lead term {} too (two leaders: only a bug gets here)", m.term)};
    }
    const Index last = m.lastLogIndex;
    if (last <= n.commitIndex()) {
        return {Answer::Accepted, v.prelude + fmt::format("accepted, nothing installed: the snapshot ends at {}, within "
                                                          "what we committed ({})", last, n.commitIndex())};
    }
    const bool holds = last <= n.log().lastIndex() && n.log().termAt(last) == m.lastLogTerm;
    const bool bugKeeps = !holds && last <= n.log().lastIndex() && n.config().bugs.has(Bug::SnapshotKeepsConflictingLog);
    const std::string what =
        holds ? "our log holds its last entry, so we keep the entries after it"
        : bugKeeps ? fmt::format("our entry at {} is of term {}, not {}, yet bug snapshot-keeps-conflicting-log keeps it "
                                 "and the entries after it (figure 13 says: discard the whole log)",
                                 last, n.log().termAt(last), m.lastLogTerm)
                   : "our log does not hold its last entry, so we discard the whole log";
    return {Answer::Accepted,
            v.prelude + fmt::format("snapshot installed from leader up to {} (t{}): {}; the state machine is restored "
                                    "from it (figure 13)",
                                    last, m.lastLogTerm, what)};
}

Why explainReceive(const Node& n, const raft::Message& m) {
    if (m.kind == MsgKind::PreVote) return preVote(n, m);
    if (m.kind == MsgKind::PreVoteResponse) return preVoteResponse(n, m);
    if (m.term > n.currentTerm() && !raft::isRequest(m.kind) && n.role() == Role::Leader &&
        n.config().bugs.has(Bug::NoStepDownHigherTerm)) {
        return {Answer::None,
                fmt::format("ignored: term {} > ours {}, but bug no-step-down-higher-term keeps us leader", m.term, n.currentTerm())};
    }
    if (m.kind == MsgKind::RequestVote && m.term > n.currentTerm() && !m.leadershipTransfer &&
        n.disregardsVotes()) {
        return {Answer::None,
                n.leaderId() != raft::kNoNode
                    ? fmt::format("disregarded: we heard from leader n{} since our election timer last fired "
                                  "(§4.2.3): no term, no vote, no answer", n.leaderId())
                    : std::string("disregarded: we restarted and our first election timeout has not come; a "
                                  "leader's lease may still count on us (§6.4.1): no term, no vote, no answer")};
    }
    if (m.term > n.currentTerm() && n.fromRemovedServer(m)) {
        return {Answer::None, fmt::format("disregarded: n{} is not a voter of our configuration {} and its log ({},t{}) "
                                          "is not newer than ours: a removed server (§4.2.3): no term, no vote, no answer",
                                          m.from, sim::findings::idSet(n.membership().voters), m.lastLogIndex, m.lastLogTerm)};
    }
    if (m.term < n.currentTerm()) return stale(n, m);
    const View v = afterPrelude(n, m);
    switch (m.kind) {
        case MsgKind::RequestVote: {
            Why w = vote(n, m);
            if (m.leadershipTransfer) w.text += " [the election of a leadership transfer, §3.10]";
            return w;
        }
        case MsgKind::RequestVoteResponse: return voteResponse(n, m, v);
        case MsgKind::AppendEntries: return append(n, m, v);
        case MsgKind::AppendEntriesResponse: return appendResponse(n, m, v);
        case MsgKind::PreVote:
        case MsgKind::PreVoteResponse: break;  // answered above
        case MsgKind::TimeoutNow: return timeoutNow(m, v);
        case MsgKind::ReadIndex: return readIndex(n, m);
        case MsgKind::ReadIndexResponse: return readIndexResponse(n, m);
        case MsgKind::InstallSnapshot: return installSnapshot(n, m, v);
    }
    return {};
}

std::string explainTransfer(const Node& n, raft::NodeId target) {
    if (n.role() != Role::Leader) return fmt::format("transfer refused: we are a {}, not the leader", raft::name(n.role()));
    if (n.transferTarget() != raft::kNoNode) {
        return fmt::format("transfer refused: a transfer to n{} is under way", n.transferTarget());
    }
    if (n.catchUpNode() != raft::kNoNode) {
        return fmt::format("transfer refused: n{} is being caught up to join the voters (§4.2.1)", n.catchUpNode());
    }
    if (target != raft::kNoNode && (target >= raft::kMaxNodes || !n.membership().isVoter(target))) {
        return fmt::format("transfer refused: n{} is not a voter of this cluster", target);
    }
    raft::NodeId chosen = target;
    std::string how;
    if (target == raft::kNoNode) {
        for (raft::NodeId p = 0; p < raft::kMaxNodes; ++p) {
            if (p == n.id() || !n.membership().isVoter(p)) continue;
            if (chosen == raft::kNoNode || n.progress(p).matchIndex > n.progress(chosen).matchIndex) chosen = p;
        }
        if (chosen != raft::kNoNode) how = " (the most up-to-date follower)";
    }
    if (chosen == n.id() || chosen == raft::kNoNode) return "transfer refused: no other node to hand over to";
    const Index match = n.progress(chosen).matchIndex;
    const Index last = n.log().lastIndex();
    const std::string next =
        match == last ? fmt::format("it holds our whole log ({}), so TimeoutNow goes out now", last)
                      : fmt::format("it holds our log up to {} of {}: we bring it up to date, then send TimeoutNow", match, last);
    return fmt::format("transfer to n{}{} accepted (§3.10): {}; we refuse proposals until it completes, or for {} "
                       "heartbeats (an election timeout) at most",
                       chosen, how, next, raft::transferTimeoutTicks(n.config()));
}

std::optional<std::string> explainCommit(const Node& before, const Node& after) {
    if (after.commitIndex() <= before.commitIndex()) return std::nullopt;
    const Index c = after.commitIndex();
    const Term t = after.log().termAt(c);
    const std::string range = c == before.commitIndex() + 1 ? fmt::format("{}", c) : fmt::format("{}..{}", before.commitIndex() + 1, c);
    // A leader may step down in the step that commits (thesis §4.2.2): it committed as leader.
    const bool asLeader = after.role() == Role::Leader ||
                          (before.role() == Role::Leader && before.currentTerm() == after.currentTerm());
    if (!asLeader) {
        return fmt::format("commits {} {}: the leader has committed it, and our log matches the leader's there", range, pos(c, t));
    }
    // The voters of the leader's configuration (thesis §4.1), as core/node.cpp counts them.
    const raft::Membership& config = after.membership();
    const bool learnersCount = after.config().bugs.has(Bug::LearnerCountedInQuorum);
    const raft::NodeSet counted = learnersCount ? config.members() : config.voters;
    std::string holders;
    int count = 0;
    for (raft::NodeId p = 0; p < raft::kMaxNodes; ++p) {
        if (raft::contains(counted, p) && after.progress(p).matchIndex >= c) {
            holders += fmt::format("{}n{}", holders.empty() ? "" : ",", p);
            ++count;
        }
    }
    const std::string own = t == after.currentTerm() ? "of our term" : "of an earlier term (bug figure8-commit)";
    const std::string down = after.role() == Role::Leader ? ""
                             : "; the configuration it commits leaves us out, so we step down (§4.2.2)";
    return fmt::format("commits {} {}: held by {}, {} of {} (a quorum is {}{}), an entry {}{}", range, pos(c, t), holders,
                       count, raft::countOf(config.voters), config.quorum(),
                       learnersCount ? "; learners counted: bug learner-counted-in-quorum" : "", own, down);
}

}  // namespace traces
