// The model checker's properties (sim/mc/invariants.hpp), written once over any node
// the checker can read: raftsim's core (raft::Node, sim/mc/invariants.cpp) and a node
// behind the seam (sim/seamcheck/). `NodeRead<N>` says how to read an N: id, role,
// currentTerm, commitIndex, the log by index, the cluster's quorum, and the packed form
// of an entry for the committed history; optionally (for snapshots and configurations)
// the log's snapshot base, whether a set of votes elects a node, whether an entry is
// a configuration, and the node's latest configuration (its voters, whether it is one of
// them, its entry's index). The history (H: who led each term, what was
// committed at each index) is any type with mc::State's `leaderOf` and `committed`.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <span>

#include "sim/findings.hpp"
#include "sim/mc/state.hpp"

namespace mc {

struct McViolation {
    std::string property;  // e.g. "election-safety", as the simulator names it
    std::string details;
};

// What a step showed, for the "sometimes" properties.
struct Observed {
    bool leaderElected = false;
    bool entryCommitted = false;
};

// Specialized for each kind of node the rules read.
template <class N>
struct NodeRead;

namespace rules {

using raft::Index;
using raft::Term;
namespace findings = sim::findings;

inline std::optional<McViolation> fail(sim::Finding finding) {
    return McViolation{std::string(sim::name(finding.property)), std::move(finding.details)};
}

// The snapshot base of a node's log: its entries up to there are in a snapshot (thesis
// §5.1), no longer in the log; 0 for a reader without snapshots.
template <class N>
Index baseOf(const N& n) {
    if constexpr (requires { NodeRead<N>::base(n); }) {
        return NodeRead<N>::base(n);
    } else {
        return 0;
    }
}

// Whether `granted` would elect `candidate`: a majority of the voters of the
// configuration it uses (thesis §4.1), for a reader that knows configurations; else
// `votes` against `after`'s fixed quorum.
template <class N>
bool wouldWin(const N& candidate, const N& after, raft::NodeSet granted, int votes) {
    if constexpr (requires { NodeRead<N>::wins(candidate, granted); }) {
        return NodeRead<N>::wins(candidate, granted);
    } else {
        return votes >= NodeRead<N>::quorum(after);
    }
}

// Entries compared from past both snapshot bases: what a snapshot holds was committed.
template <class N>
bool samePrefix(const N& a, const N& b, Index last) {
    using R = NodeRead<N>;
    for (Index i = std::max(baseOf(a), baseOf(b)) + 1; i <= last; ++i) {
        if (!(R::at(a, i) == R::at(b, i))) return false;
    }
    return true;
}

// Log matching (§5.3): entries with the same index and term have identical prefixes.
// The highest index where the terms agree covers every lower one.
template <class N>
std::optional<McViolation> checkLogMatching(const N& a, const N& b) {
    using R = NodeRead<N>;
    const Index low = std::max<Index>({1, baseOf(a), baseOf(b)});
    for (Index i = std::min(R::lastIndex(a), R::lastIndex(b)); i >= low; --i) {
        if (R::termAt(a, i) != R::termAt(b, i)) continue;
        if (samePrefix(a, b, i)) return std::nullopt;
        return fail(findings::logsDiffer(R::id(a), i, R::termAt(a, i), R::id(b)));
    }
    return std::nullopt;
}

// Leader completeness (§5.4): a leader of term T holds every entry committed before T.
template <class N, class H>
std::optional<McViolation> checkLeaderCompleteness(const N& leader, const H& s) {
    using R = NodeRead<N>;
    Index mustHold = 0;  // the highest index committed before the leader's term
    bool lacks = false;
    for (Index i = 1; i <= kMaxLog; ++i) {
        const std::uint32_t word = s.committed[i];
        if (word == 0 || Committed::term(word) >= R::term(leader)) continue;
        mustHold = i;
        // An entry in the leader's snapshot is held: a snapshot holds only committed entries.
        lacks = lacks || i > R::lastIndex(leader) ||
                (i > baseOf(leader) && R::pack(leader, R::at(leader, i)) != Committed::entry(word));
    }
    if (!lacks) return std::nullopt;
    return fail(findings::leaderLacksCommitted(R::id(leader), R::term(leader), mustHold, R::lastIndex(leader),
                                               R::lastTerm(leader)));
}

template <class N, class H>
std::optional<McViolation> checkNewLeader(const N& after, H& next) {
    using R = NodeRead<N>;
    const Term term = R::term(after);
    raft::NodeId& recorded = next.leaderOf[term];
    if (recorded != raft::kNoNode && recorded != R::id(after)) {
        return fail(findings::twoLeaders(recorded, R::id(after), term));
    }
    recorded = R::id(after);
    return checkLeaderCompleteness(after, next);
}

// Leader append-only (figure 3): a leader never overwrites or deletes its entries.
template <class N>
std::optional<McViolation> checkAppendOnly(const N& before, const N& after) {
    using R = NodeRead<N>;
    const Index last = R::lastIndex(before);
    // the first entry the step changed or removed (a snapshot only compacts)
    Index first = std::max(baseOf(before), baseOf(after)) + 1;
    while (first <= last && first <= R::lastIndex(after) && R::at(before, first) == R::at(after, first)) ++first;
    if (first > last) return std::nullopt;
    return fail(findings::leaderRewrote(R::id(after), R::term(after), first, last));
}

// Commit quorum (§5.4.2, figure 8), as the simulator checks it (sim/checker.cpp): when
// an entry is first committed, no node that lacks it could still win an election
// counting the votes of the nodes whose logs are no more up to date than its own.
template <class N>
std::optional<McViolation> checkCommitQuorum(Index index, const N& after, std::span<const N* const> others) {
    using R = NodeRead<N>;
    const raft::Entry& entry = R::at(after, index);
    auto holds = [&](const N& n) {
        return R::lastIndex(n) >= index && (index <= baseOf(n) || R::at(n, index) == entry);
    };
    for (const N* c : others) {
        if (holds(*c)) continue;
        auto grants = [&](const N& v) { return R::upToDate(v, R::lastIndex(*c), R::lastTerm(*c)); };
        raft::NodeSet granted = grants(after) ? raft::nodeBit(R::id(after)) : 0;
        int votes = grants(after) ? 1 : 0;
        for (const N* v : others) {
            if (!grants(*v)) continue;
            granted = static_cast<raft::NodeSet>(granted | raft::nodeBit(R::id(*v)));
            ++votes;
        }
        if (!wouldWin(*c, after, granted, votes)) continue;
        if constexpr (requires { R::membership(*c); }) {
            // A configuration other than every node as a voter: counted as the simulator does.
            const raft::Membership& m = R::membership(*c);
            if (m.voters != static_cast<raft::NodeSet>((1u << (others.size() + 1)) - 1)) {
                return fail(findings::committedWithoutConfigQuorum(
                    index, R::id(*c), m.voters, R::lastIndex(*c), R::lastTerm(*c),
                    raft::countOf(static_cast<raft::NodeSet>(granted & m.voters)), m.quorum()));
            }
        }
        return fail(findings::committedWithoutQuorum(index, R::id(*c), R::lastIndex(*c), R::lastTerm(*c), votes,
                                                     static_cast<int>(others.size()) + 1));
    }
    return std::nullopt;
}

// State machine safety (§5.4.3): every node commits the same entry at each index.
template <class N, class H>
std::optional<McViolation> checkCommits(const N& before, const N& after, std::span<const N* const> others,
                                        H& next) {
    using R = NodeRead<N>;
    Index firstSeen = 0;  // the highest index no node had committed before this step
    // Indexes a snapshot installed are committed elsewhere first: their leader recorded them.
    for (Index i = std::max(R::commit(before), baseOf(after)) + 1; i <= R::commit(after); ++i) {
        const std::uint16_t entry = R::pack(after, R::at(after, i));
        std::uint32_t& word = next.committed[i];
        if (word == 0) {
            word = Committed::pack(entry, R::term(after));
            firstSeen = i;
        } else if (Committed::entry(word) != entry) {
            return fail(findings::differentCommit(R::id(after), i, R::termAt(after, i)));
        } else if (R::term(after) < Committed::term(word)) {
            word = Committed::pack(entry, R::term(after));
        }
    }
    // The highest covers those below it (log matching).
    if (firstSeen != 0) return checkCommitQuorum(firstSeen, after, others);
    return std::nullopt;
}

// Snapshot consistency (thesis §5.1, figure 13): a snapshot holds committed entries, so
// the last entry it includes is the entry committed at that index (its term names it).
template <class N, class H>
std::optional<McViolation> checkSnapshotBase(const N& before, const N& after, const H& next) {
    using R = NodeRead<N>;
    const Index base = baseOf(after);
    if (base == 0 || (base == baseOf(before) && R::termAt(after, base) == R::termAt(before, base))) return std::nullopt;
    const std::uint32_t word = next.committed[base];
    if (word == 0) return std::nullopt;
    const raft::Term committed = Committed::entry(word) & 0xFu;  // packEntry keeps the term in its low bits
    if (R::termAt(after, base) == committed) return std::nullopt;
    return fail(findings::snapshotBaseDiffers(R::id(after), base, R::termAt(after, base), committed));
}

template <class N>
std::optional<McViolation> checkMonotonic(const N& before, const N& after) {
    using R = NodeRead<N>;
    if (R::term(after) < R::term(before)) {
        return fail(findings::termDecreased(R::id(after), R::term(before), R::term(after)));
    }
    if (R::commit(after) < R::commit(before)) {
        return fail(findings::commitDecreased(R::id(after), R::commit(before), R::commit(after)));
    }
    return std::nullopt;
}

// Figure 2: a node that receives a message of a higher term adopts that term.
template <class N>
std::optional<McViolation> checkReceive(const raft::Message& m, const N& after) {
    using R = NodeRead<N>;
    if (m.term <= R::term(after) || !raft::bindsTerm(m)) return std::nullopt;
    return fail(findings::higherTermKept(R::id(after), R::role(after), R::term(after), m.term));
}

// The highest index any node has committed in the history: every write acknowledged
// to a client so far is at or below it.
template <class H>
Index highestCommitted(const H& s) {
    for (Index i = kMaxLog; i >= 1; --i) {
        if (s.committed[i] != 0) return i;
    }
    return 0;
}

// Read freshness (thesis §6.4): a read answered with read index `readIndex` by node
// `server` is served from its state machine, which must have applied every index
// committed when the read was invoked (`floor`, highestCommitted then).
template <class N>
std::optional<McViolation> checkReadFresh(const N& server, std::uint32_t seq, Index readIndex, Index floor) {
    using R = NodeRead<N>;
    if (R::applied(server) >= floor) return std::nullopt;
    return fail(findings::staleRead(R::id(server), seq, readIndex, R::applied(server), floor));
}

// Thesis §3.10: a leader transferring its leadership before and after a client's
// proposal did not take it into its log.
template <class N>
std::optional<McViolation> checkTransferRefuses(const N& before, const N& after) {
    using R = NodeRead<N>;
    const bool ongoing = R::role(before) == raft::Role::Leader && R::transferTarget(before) != raft::kNoNode &&
                         R::role(after) == raft::Role::Leader && R::term(after) == R::term(before);
    if (!ongoing || R::lastIndex(after) <= R::lastIndex(before)) return std::nullopt;
    return fail(findings::proposalAcceptedDuringTransfer(R::id(after), R::term(after), R::transferTarget(before),
                                                         R::lastIndex(after)));
}

// Thesis §3.10, paper §5.1: a TimeoutNow of an earlier term starts no election.
template <class N>
std::optional<McViolation> checkTimeoutNow(const raft::Message& m, const N& before, const N& after) {
    using R = NodeRead<N>;
    if (m.kind != raft::MsgKind::TimeoutNow || m.term >= R::term(before) || R::term(after) <= R::term(before)) {
        return std::nullopt;
    }
    return fail(findings::staleTimeoutNowActedOn(R::id(after), m.from, m.term, R::term(before), R::term(after)));
}

// Configuration safety (thesis §4.1): a leader appends a configuration only once the
// previous one is committed, so its log never holds two configuration entries that no
// node has committed (the history says which are; a new leader may not yet know).
template <class N, class H>
std::optional<McViolation> checkConfigurations(const N& leader, const H& history) {
    if constexpr (requires { NodeRead<N>::isConfiguration(leader, Index{1}); }) {
        using R = NodeRead<N>;
        Index first = 0;
        for (Index i = baseOf(leader) + 1; i <= R::lastIndex(leader) && i <= kMaxLog; ++i) {
            if (history.committed[i] != 0 || !R::isConfiguration(leader, i)) continue;
            if (first == 0) {
                first = i;
                continue;
            }
            return fail(sim::Finding{sim::Property::ConfigurationSafety,
                                     fmt::format("leader {} of term {} holds configuration entries at {} and {}, "
                                                 "neither committed",
                                                 R::id(leader), R::term(leader), first, i)});
        }
    }
    return std::nullopt;
}

// Removed leader steps down (thesis §4.2.2), for a reader that knows configurations: no
// leader's commitIndex reaches the entry of its latest configuration while that
// configuration does not count it as a voter. The model has no time, and the core steps
// down in the step that commits the entry, so this is a state invariant.
template <class N>
std::optional<McViolation> checkRemovedLeader(const N& leader) {
    if constexpr (requires { NodeRead<N>::configIndex(leader); }) {
        using R = NodeRead<N>;
        if (R::isVoter(leader) || R::configIndex(leader) > R::commit(leader)) return std::nullopt;
        return fail(findings::removedLeaderStillLeads(R::id(leader), R::term(leader), R::voters(leader),
                                                      R::configIndex(leader), R::commit(leader)));
    }
    return std::nullopt;
}

// Checks the step of node `after` from `before`; updates the history in `next`.
// `others` are the nodes of `next` other than the one that stepped.
template <class N, class H>
std::optional<McViolation> checkStep(const N& before, const N& after, std::span<const N* const> others, H& next,
                                     Observed& seen) {
    using R = NodeRead<N>;
    if (auto v = checkMonotonic(before, after)) return v;
    const bool wasLeader = R::role(before) == raft::Role::Leader && R::term(before) == R::term(after);
    if (R::role(after) == raft::Role::Leader) {
        if (!wasLeader) {
            seen.leaderElected = true;
            if (auto v = checkNewLeader(after, next)) return v;
        } else if (auto v = checkAppendOnly(before, after)) {
            return v;
        }
        if (!wasLeader || !R::sameLog(after, before)) {
            if (auto v = checkConfigurations(after, next)) return v;
        }
        if (auto v = checkRemovedLeader(after)) return v;
    }
    if (R::commit(after) > R::commit(before)) {
        seen.entryCommitted = true;
        if (auto v = checkCommits(before, after, others, next)) return v;
    }
    if (auto v = checkSnapshotBase(before, after, next)) return v;
    if (!R::sameLog(after, before)) {
        for (const N* other : others) {
            if (auto v = checkLogMatching(after, *other)) return v;
        }
    }
    return std::nullopt;
}

}  // namespace rules
}  // namespace mc
