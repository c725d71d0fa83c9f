#include "sim/mc/invariants.hpp"

#include "sim/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace mc {

using raft::Index;
using raft::Node;
using raft::Role;
using raft::Term;

namespace {

namespace findings = sim::findings;

std::optional<McViolation> fail(sim::Finding finding) {
    return McViolation{std::string(sim::name(finding.property)), std::move(finding.details)};
}

bool samePrefix(const raft::RaftLog& a, const raft::RaftLog& b, Index last) {
    for (Index i = 1; i <= last; ++i) {
        if (!(a.at(i) == b.at(i))) return false;
    }
    return true;
}

// Log matching (§5.3): entries with the same index and term have identical prefixes.
// The highest index where the terms agree covers every lower one.
std::optional<McViolation> checkLogMatching(const Node& a, const Node& b) {
    for (Index i = std::min(a.log().lastIndex(), b.log().lastIndex()); i >= 1; --i) {
        if (a.log().termAt(i) != b.log().termAt(i)) continue;
        if (samePrefix(a.log(), b.log(), i)) return std::nullopt;
        return fail(findings::logsDiffer(a.id(), i, a.log().termAt(i), b.id()));
    }
    return std::nullopt;
}

// Leader completeness (§5.4): a leader of term T holds every entry committed before T.
std::optional<McViolation> checkLeaderCompleteness(const Node& leader, const State& s) {
    Index mustHold = 0;  // the highest index committed before the leader's term
    bool lacks = false;
    for (Index i = 1; i <= kMaxLog; ++i) {
        const std::uint32_t word = s.committed[i];
        if (word == 0 || Committed::term(word) >= leader.currentTerm()) continue;
        mustHold = i;
        lacks = lacks || i > leader.log().lastIndex() ||
                packEntry(leader.log().at(i)) != Committed::entry(word);
    }
    if (!lacks) return std::nullopt;
    return fail(findings::leaderLacksCommitted(leader.id(), leader.currentTerm(), mustHold,
                                               leader.log().lastIndex(), leader.log().lastTerm()));
}

std::optional<McViolation> checkNewLeader(const Node& after, State& next) {
    const Term term = after.currentTerm();
    raft::NodeId& recorded = next.leaderOf[term];
    if (recorded != raft::kNoNode && recorded != after.id()) {
        return fail(findings::twoLeaders(recorded, after.id(), term));
    }
    recorded = after.id();
    return checkLeaderCompleteness(after, next);
}

// Leader append-only (figure 3): a leader never overwrites or deletes its entries.
std::optional<McViolation> checkAppendOnly(const Node& before, const Node& after) {
    const Index last = before.log().lastIndex();
    Index first = 1;  // the first entry the step changed or removed
    while (first <= last && first <= after.log().lastIndex() &&
           before.log().at(first) == after.log().at(first)) {
        ++first;
    }
    if (first > last) return std::nullopt;
    return fail(findings::leaderRewrote(after.id(), after.currentTerm(), first, last));
}

// Commit quorum (§5.4.2, figure 8), as the simulator checks it (sim/checker.cpp): when
// an entry is first committed, no node that lacks it could still win an election
// counting the votes of the nodes whose logs are no more up to date than its own.
std::optional<McViolation> checkCommitQuorum(Index index, const Node& after,
                                             std::span<const Node* const> others) {
    const raft::Entry& entry = after.log().at(index);
    auto holds = [&](const Node& n) { return n.log().lastIndex() >= index && n.log().at(index) == entry; };
    auto votesFor = [&](const Node& c) {
        auto grants = [&](const Node& v) { return v.log().isUpToDate(c.log().lastIndex(), c.log().lastTerm()); };
        int votes = grants(after) ? 1 : 0;
        for (const Node* v : others) votes += grants(*v) ? 1 : 0;
        return votes;
    };
    const int quorum = after.config().quorum();
    for (const Node* c : others) {
        if (holds(*c)) continue;
        if (const int votes = votesFor(*c); votes >= quorum) {
            return fail(findings::committedWithoutQuorum(index, c->id(), c->log().lastIndex(),
                                                         c->log().lastTerm(), votes,
                                                         static_cast<int>(others.size()) + 1));
        }
    }
    return std::nullopt;
}

// State machine safety (§5.4.3): every node commits the same entry at each index.
std::optional<McViolation> checkCommits(const Node& before, const Node& after,
                                        std::span<const Node* const> others, State& next) {
    Index firstSeen = 0;  // the highest index no node had committed before this step
    for (Index i = before.commitIndex() + 1; i <= after.commitIndex(); ++i) {
        const std::uint16_t entry = packEntry(after.log().at(i));
        std::uint32_t& word = next.committed[i];
        if (word == 0) {
            word = Committed::pack(entry, after.currentTerm());
            firstSeen = i;
        } else if (Committed::entry(word) != entry) {
            return fail(findings::differentCommit(after.id(), i, after.log().termAt(i)));
        } else if (after.currentTerm() < Committed::term(word)) {
            word = Committed::pack(entry, after.currentTerm());
        }
    }
    // The highest covers those below it (log matching).
    if (firstSeen != 0) return checkCommitQuorum(firstSeen, after, others);
    return std::nullopt;
}

std::optional<McViolation> checkMonotonic(const Node& before, const Node& after) {
    if (after.currentTerm() < before.currentTerm()) {
        return fail(findings::termDecreased(after.id(), before.currentTerm(), after.currentTerm()));
    }
    if (after.commitIndex() < before.commitIndex()) {
        return fail(findings::commitDecreased(after.id(), before.commitIndex(), after.commitIndex()));
    }
    return std::nullopt;
}

}  // namespace

std::optional<McViolation> checkReceive(const raft::Message& m, const Node& after) {
    if (m.term <= after.currentTerm() || !raft::bindsTerm(m)) return std::nullopt;
    return fail(findings::higherTermKept(after.id(), after.role(), after.currentTerm(), m.term));
}

std::uint16_t packEntry(const raft::Entry& e) {
    RAFT_ASSERT(e.term >= 1 && e.term <= kMaxTerm && e.data <= kMaxValues, "term={} data={}",
                e.term, e.data);
    return static_cast<std::uint16_t>(e.term | (static_cast<unsigned>(e.kind) << 5) |
                                      (e.data << 6));
}

std::optional<McViolation> checkStep(const Node& before, const Node& after,
                                     std::span<const Node* const> others, State& next,
                                     Observed& seen) {
    if (auto v = checkMonotonic(before, after)) return v;
    const bool wasLeader =
        before.role() == Role::Leader && before.currentTerm() == after.currentTerm();
    if (after.role() == Role::Leader) {
        if (!wasLeader) {
            seen.leaderElected = true;
            if (auto v = checkNewLeader(after, next)) return v;
        } else if (auto v = checkAppendOnly(before, after)) {
            return v;
        }
    }
    if (after.commitIndex() > before.commitIndex()) {
        seen.entryCommitted = true;
        if (auto v = checkCommits(before, after, others, next)) return v;
    }
    if (!(after.log() == before.log())) {
        for (const Node* other : others) {
            if (auto v = checkLogMatching(after, *other)) return v;
        }
    }
    return std::nullopt;
}

}  // namespace mc
