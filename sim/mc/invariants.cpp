#include "sim/mc/invariants.hpp"

#include "sim/violation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace mc {

using raft::Index;
using raft::Node;
using raft::Role;
using raft::Term;

namespace {

std::optional<McViolation> fail(std::string property, std::string details) {
    return McViolation{std::move(property), std::move(details)};
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
        return fail("log-matching",
                    fmt::format("nodes {} and {} hold entries of term {} at index {} but their "
                                "logs differ before it",
                                a.id(), b.id(), a.log().termAt(i), i));
    }
    return std::nullopt;
}

// Leader completeness (§5.4): a leader of term T holds every entry committed before T.
std::optional<McViolation> checkLeaderCompleteness(const Node& leader, const State& s) {
    for (Index i = 1; i <= kMaxLog; ++i) {
        const std::uint32_t word = s.committed[i];
        if (word == 0 || Committed::term(word) >= leader.currentTerm()) continue;
        if (i > leader.log().lastIndex() || packEntry(leader.log().at(i)) != Committed::entry(word)) {
            return fail("leader-completeness",
                        fmt::format("leader {} of term {} lacks the entry committed at index {} "
                                    "in term {} (its lastIndex={})",
                                    leader.id(), leader.currentTerm(), i, Committed::term(word),
                                    leader.log().lastIndex()));
        }
    }
    return std::nullopt;
}

std::optional<McViolation> checkNewLeader(const Node& after, State& next) {
    const Term term = after.currentTerm();
    raft::NodeId& recorded = next.leaderOf[term];
    if (recorded != raft::kNoNode && recorded != after.id()) {
        return fail("election-safety",
                    fmt::format("nodes {} and {} are both leaders of term {}", recorded, after.id(),
                                term));
    }
    recorded = after.id();
    return checkLeaderCompleteness(after, next);
}

// Leader append-only (figure 3): a leader never overwrites or deletes its entries.
std::optional<McViolation> checkAppendOnly(const Node& before, const Node& after) {
    const Index last = before.log().lastIndex();
    if (after.log().lastIndex() >= last && samePrefix(before.log(), after.log(), last)) {
        return std::nullopt;
    }
    return fail("leader-append-only",
                fmt::format("leader {} of term {} rewrote its log (lastIndex {} -> {})", after.id(),
                            after.currentTerm(), last, after.log().lastIndex()));
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
            return fail("commit-quorum",
                        fmt::format("node {} committed index {} (term {}), but node {} (lastIndex={}, "
                                    "lastTerm={}) lacks it and its log is as up to date as {} of {} "
                                    "nodes' logs, so it can still be elected and overwrite it",
                                    after.id(), index, entry.term, c->id(), c->log().lastIndex(),
                                    c->log().lastTerm(), votes, others.size() + 1));
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
            return fail("state-machine-safety",
                        fmt::format("node {} committed a different entry at index {} (term {}) "
                                    "than another node did",
                                    after.id(), i, after.log().termAt(i)));
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
        return fail("term-monotonic", fmt::format("node {} currentTerm went from {} to {}",
                                                  after.id(), before.currentTerm(),
                                                  after.currentTerm()));
    }
    if (after.commitIndex() < before.commitIndex()) {
        return fail("commit-monotonic", fmt::format("node {} commitIndex went from {} to {}",
                                                    after.id(), before.commitIndex(),
                                                    after.commitIndex()));
    }
    return std::nullopt;
}

}  // namespace

std::optional<McViolation> checkReceive(const raft::Message& m, const Node& after) {
    if (m.term <= after.currentTerm()) return std::nullopt;
    return fail("higher-term-adopted",
                fmt::format("node {} ({} of term {}) received a message of term {} and kept its term",
                            after.id(), raft::name(after.role()), after.currentTerm(), m.term));
}

int propertyRank(std::string_view property) {
    constexpr std::array<std::string_view, 10> kOrder{
        "election-safety", "leader-append-only", "log-matching", "leader-completeness", "state-machine-safety",
        "higher-term-adopted", "term-monotonic", "commit-monotonic", "commit-quorum", sim::kCoreInvariant};
    const auto it = std::find(kOrder.begin(), kOrder.end(), property);
    return static_cast<int>(it - kOrder.begin());
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
