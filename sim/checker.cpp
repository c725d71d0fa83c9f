#include "sim/checker.hpp"

#include <fmt/format.h>

#include "core/hash.hpp"

namespace sim {

using raft::Index;
using raft::NodeId;
using raft::Role;
using raft::Term;

namespace {

// The hash of the log that ends in `e`, given the hash of the log before it. It runs once
// per entry written, so it folds the entry in three words, one finalizer round each (a
// bijection in each word): distinct logs collide only by 64-bit chance. Terms stay below
// 2^56, which leaves the top byte of the first word for the kind.
std::uint64_t entryHash(std::uint64_t prefix, const raft::Entry& e) {
    using raft::Hasher;
    const std::uint64_t termAndKind = e.term ^ (static_cast<std::uint64_t>(e.kind) << 56);
    std::uint64_t h = Hasher::mix(prefix + 0x9e3779b97f4a7c15ULL + termAndKind);
    h = Hasher::mix(h ^ ((std::uint64_t{e.clientId} << 32) | e.seq));
    return Hasher::mix(h ^ e.data);
}

}  // namespace

Checker::Checker(int nodes)
    : prefixHash_(static_cast<std::size_t>(nodes)),
      highestDurableTerm_(static_cast<std::size_t>(nodes), 0),
      lastTerm_(static_cast<std::size_t>(nodes), 0),
      transferTicks_(static_cast<std::size_t>(nodes), 0) {}

void Checker::fail(Finding finding) {
    if (violation_) return;  // the first violation is the one reported
    violation_ = Violation{std::string(name(finding.property)), event_, timeUs_,
                           std::move(finding.details)};
}

void Checker::afterStep(const NodeView& before, const NodeView& after, const NodeUnderTest& node,
                        std::span<const raft::Action> actions) {
    const NodeId id = after.id;
    if (after.currentTerm < before.currentTerm) {
        fail(findings::termDecreased(id, before.currentTerm, after.currentTerm));
    }
    if (after.commitIndex < before.commitIndex) {
        fail(findings::commitDecreased(id, before.commitIndex, after.commitIndex));
    }
    mirrorLog(id, actions, node);
    lastTerm_[id] = after.lastTerm;
    // Most steps neither lead nor commit: those checks are skipped without a call.
    if (after.role == Role::Leader) checkLeader(before, after, actions);
    if (after.commitIndex > before.commitIndex) checkCommits(before, after, node);
    if (after.transferTarget != raft::kNoNode) [[unlikely]] checkTransfer(before, after, actions);
    if (membership_) [[unlikely]] afterMembershipStep(before, after, node);
}

// Thesis §3.10: a transfer under way before and after the step let no proposal in.
void Checker::checkTransfer(const NodeView& before, const NodeView& after,
                            std::span<const raft::Action> actions) {
    const bool ongoing = before.transferTarget != raft::kNoNode && before.role == Role::Leader &&
                         before.currentTerm == after.currentTerm;
    if (!ongoing) {
        transferTicks_[after.id] = 0;  // a transfer starts
        return;
    }
    for (const raft::Action& a : actions) {
        const auto* r = std::get_if<raft::ProposeReply>(&a);
        if (r != nullptr && r->accepted) {
            fail(findings::proposalAcceptedDuringTransfer(after.id, after.currentTerm,
                                                          after.transferTarget, r->index));
            return;
        }
    }
}

void Checker::afterHeartbeat(const NodeView& node) {
    int& ticks = transferTicks_[node.id];
    if (node.role != Role::Leader || node.transferTarget == raft::kNoNode) {
        ticks = 0;
        return;
    }
    ticks += 1;
    if (transferBound_ > 0 && ticks > transferBound_) {
        fail(findings::transferNotEnded(node.id, node.currentTerm, node.transferTarget, ticks,
                                        transferBound_ - 1));
    }
}

void Checker::reportTermKept(Term term, const NodeView& node) {
    fail(findings::higherTermKept(node.id, node.role, node.currentTerm, term));
}

void Checker::afterRestart(const NodeUnderTest& node, Index snapshotIndex) {
    const NodeView view = node.view();
    const NodeId id = view.id;
    // A term that never reached the disk may be forgotten: nothing left the node that
    // depended on it (§3.8). A durable one may not.
    if (view.currentTerm < highestDurableTerm_[id]) {
        fail(findings::termRestartedBelowDurable(id, view.currentTerm, highestDurableTerm_[id]));
    }
    if (snapshotIndex > 0) [[unlikely]] {
        rebaseMirror(id, snapshotIndex, node);
        lastTerm_[id] = view.lastTerm;
        return;
    }
    std::vector<std::uint64_t>& mirror = prefixHash_[id];
    mirror.clear();
    std::uint64_t prefix = 0;
    if (view.lastIndex > 0) {
        for (const raft::Entry& e : node.entries(1, view.lastIndex)) {
            prefix = entryHash(prefix, e);
            mirror.push_back(prefix);
        }
    }
    lastTerm_[id] = view.lastTerm;
}

// A node's log up to `base` is in its snapshot, which holds committed entries: its mirror
// is the committed log's that far, then its own entries after the base (re-hashed on
// that prefix, and checked for log matching, as a write of them would be).
void Checker::rebaseMirror(NodeId id, Index base, const NodeUnderTest& node) {
    std::vector<std::uint64_t>& mirror = prefixHash_[id];
    if (base > committed_.size()) {
        fail(findings::snapshotUncommitted(id, base, committed_.size()));
        return;
    }
    mirror.assign(committed_.begin(), committed_.begin() + static_cast<std::ptrdiff_t>(base));
    const Index last = node.view().lastIndex;
    if (last <= base) return;
    const std::span<const raft::Entry> kept = node.entries(base + 1, last);
    mirrorWrite(id, raft::PersistEntries{base + 1, {kept.begin(), kept.end()}});
}

// A snapshot replaces the log up to its last index (figure 13): a node's log there must
// be the committed one; what it keeps after it stays as it was unless the prefix differed.
void Checker::mirrorSnapshot(NodeId id, const raft::PersistSnapshot& write, const NodeUnderTest& node) {
    const Index base = write.snapshot.meta.lastIncludedIndex;
    std::vector<std::uint64_t>& mirror = prefixHash_[id];
    const bool sameBase = base <= committed_.size() && mirror.size() >= base &&
                          mirror[base - 1] == committed_[base - 1];
    if (!sameBase || !write.keepLog) {
        rebaseMirror(id, base, node);
    }
}

void Checker::onState(NodeId id, Index index, std::uint64_t hash, std::string_view where) {
    if (index == 0) return;
    if (stateAt_.size() < index) stateAt_.resize(index, 0);
    std::uint64_t& seen = stateAt_[index - 1];
    if (seen == 0) {
        seen = hash;
    } else if (seen != hash) {
        fail(findings::stateDiffers(id, index, where, hash, seen));
    }
}

void Checker::afterStart(const NodeUnderTest& node, const raft::DurableState& disk) {
    const Index base = disk.snapshot.meta.lastIncludedIndex;
    afterRestart(node, base);
    const NodeId id = node.view().id;
    highestDurableTerm_[id] = disk.currentTerm;
    if (!disk.log.empty() && base == 0) checkLogMatching(id, raft::PersistEntries{1, disk.log});
}

// Keeps the prefix hashes in step with the node's log, which changes only together with
// a PersistEntries action.
void Checker::mirrorLog(NodeId id, std::span<const raft::Action> actions, const NodeUnderTest& node) {
    for (const raft::Action& action : actions) {
        if (const auto* write = std::get_if<raft::PersistEntries>(&action)) {
            mirrorWrite(id, *write);
        } else if (const auto* snap = std::get_if<raft::PersistSnapshot>(&action)) [[unlikely]] {
            mirrorSnapshot(id, *snap, node);
        }
    }
}

void Checker::mirrorWrite(NodeId id, const raft::PersistEntries& write) {
    std::vector<std::uint64_t>& mirror = prefixHash_[id];
    RAFT_ASSERT(write.firstIndex >= 1 && write.firstIndex <= mirror.size() + 1,
                "node={} firstIndex={} mirror={}", id, write.firstIndex, mirror.size());
    mirror.resize(write.firstIndex - 1);
    std::uint64_t prefix = mirror.empty() ? 0 : mirror.back();
    for (const raft::Entry& e : write.entries) {
        prefix = entryHash(prefix, e);
        mirror.push_back(prefix);
    }
    checkLogMatching(id, write);
}

// Log matching (§5.3): two entries with the same index and term have identical prefixes.
void Checker::checkLogMatching(NodeId id, const raft::PersistEntries& write) {
    const std::vector<std::uint64_t>& mirror = prefixHash_[id];
    for (std::size_t k = 0; k < write.entries.size(); ++k) {
        const Index index = write.firstIndex + k;
        const Term term = write.entries[k].term;
        if (!entryPrefixes_.record(index, term, mirror[index - 1])) {
            fail(findings::logsDiffer(id, index, term));
        }
    }
}

void Checker::checkPromise(const raft::Message& m, const raft::DurableState& disk) {
    if (m.kind == raft::MsgKind::RequestVoteResponse &&
        (disk.currentTerm != m.term || disk.votedFor != m.to)) {
        fail(findings::voteNotDurable(m.from, m.term, m.to, disk.currentTerm, disk.votedFor));
    } else if (m.kind == raft::MsgKind::AppendEntriesResponse &&
               disk.snapshot.meta.lastIncludedIndex + disk.log.size() < m.matchIndex) {
        fail(findings::ackNotDurable(m.from, m.matchIndex,
                                     disk.snapshot.meta.lastIncludedIndex + disk.log.size()));
    }
}

void Checker::onVoteSent(NodeId voter, Term term, NodeId candidate) {
    const auto [it, inserted] = votes_.emplace(std::make_pair(voter, term), candidate);
    if (!inserted && it->second != candidate) {
        fail(findings::secondVote(voter, term, it->second, candidate));
    }
}

void Checker::checkLeader(const NodeView& before, const NodeView& after,
                          std::span<const raft::Action> actions) {
    const NodeId id = after.id;
    const Term term = after.currentTerm;
    const bool stillLeader = before.role == Role::Leader && before.currentTerm == term;
    if (!stillLeader) {
        const auto [it, inserted] = leaderOfTerm_.emplace(term, id);
        if (!inserted && it->second != id) {
            fail(findings::twoLeaders(it->second, id, term));
        }
        checkLeaderCompleteness(after);
        return;
    }
    // Leader append-only (figure 3): a leader never overwrites or deletes its entries.
    for (const raft::Action& action : actions) {
        const auto* write = std::get_if<raft::PersistEntries>(&action);
        if (write != nullptr && write->firstIndex <= before.lastIndex) {
            fail(findings::leaderRewrote(id, term, write->firstIndex, before.lastIndex));
        }
    }
}

// Leader completeness (§5.4): a leader of term T holds every entry committed before T.
void Checker::checkLeaderCompleteness(const NodeView& leader) {
    Index mustHold = 0;
    for (const auto& [term, index] : committedAtTerm_) {
        if (term >= leader.currentTerm) break;
        mustHold = std::max(mustHold, index);
    }
    if (mustHold == 0) return;
    const std::vector<std::uint64_t>& mirror = prefixHash_[leader.id];
    if (mirror.size() < mustHold || mirror[mustHold - 1] != committed_[mustHold - 1]) {
        fail(findings::leaderLacksCommitted(leader.id, leader.currentTerm, mustHold,
                                            leader.lastIndex, leader.lastTerm));
    }
}

// State machine safety (§5.4.3): every node commits the same entry at each index.
void Checker::checkCommits(const NodeView& before, const NodeView& after,
                           const NodeUnderTest& node) {
    const Index from = before.commitIndex + 1;
    const Index to = after.commitIndex;
    const std::vector<std::uint64_t>& mirror = prefixHash_[after.id];
    RAFT_ASSERT(to <= mirror.size(), "node={} commitIndex={} mirror={}", after.id, to,
                mirror.size());
    const Index committedBefore = committed_.size();
    for (Index i = from; i <= to; ++i) {
        if (i > committed_.size()) {
            committed_.push_back(mirror[i - 1]);
        } else if (committed_[i - 1] != mirror[i - 1]) {
            fail(findings::differentCommit(after.id, i, node.entries(i, i)[0].term));
            return;
        }
    }
    Index& seen = committedAt(after.currentTerm);
    seen = std::max(seen, to);
    if (committed_.size() > committedBefore) checkCommitQuorum(committed_.size());
}

// Terms only grow, so the term asked for is nearly always the latest one recorded.
Index& Checker::committedAt(Term term) {
    if (!committedAtTerm_.empty() && committedAtTerm_.rbegin()->first == term) {
        return committedAtTerm_.rbegin()->second;
    }
    return committedAtTerm_[term];
}

// Whether node a's log is at least as up to date as node b's (§5.4.1).
bool Checker::upToDate(NodeId a, NodeId b) const {
    const Index lastA = prefixHash_[a].size(), lastB = prefixHash_[b].size();
    return lastTerm_[a] > lastTerm_[b] || (lastTerm_[a] == lastTerm_[b] && lastA >= lastB);
}

// An entry is committed only once it is safe (§5.4.2, figure 8): every node that could
// still win an election, counting the votes of the nodes whose logs are no more up to
// date than its own, holds it. Terms and votes are ignored, so this over-approximates
// who can win; in correct Raft the quorum that stored the entry outvotes any node without
// it. Checking the highest newly committed index covers those below it (log matching).
void Checker::checkCommitQuorum(Index index) {
    if (membership_) [[unlikely]] return checkCommitQuorumMembership(index);
    const int nodes = static_cast<int>(prefixHash_.size());
    const int quorum = nodes / 2 + 1;
    for (NodeId c = 0; c < nodes; ++c) {
        const std::vector<std::uint64_t>& mirror = prefixHash_[c];
        if (mirror.size() >= index && mirror[index - 1] == committed_[index - 1]) continue;
        int votes = 0;
        for (NodeId v = 0; v < nodes; ++v) votes += upToDate(c, v) ? 1 : 0;
        if (votes >= quorum) {
            fail(findings::committedWithoutQuorum(index, c, mirror.size(), lastTerm_[c], votes,
                                                  nodes));
            return;
        }
    }
}

void Checker::afterDiskWrite(const NodeView& view, const NodeUnderTest& node,
                             const raft::DurableState& durable, bool allWritesDone) {
    const NodeId id = view.id;
    Term& highest = highestDurableTerm_[id];
    if (durable.currentTerm < highest) {
        fail(findings::termPersistedBelow(id, durable.currentTerm, highest));
    }
    highest = std::max(highest, durable.currentTerm);
    if (allWritesDone) checkDurable(view, node, durable);
}

void Checker::checkDurable(const NodeView& v, const NodeUnderTest& node,
                           const raft::DurableState& durable) {
    const Index durableLast = durable.snapshot.meta.lastIncludedIndex + durable.log.size();
    const bool same = durable.currentTerm == v.currentTerm && durable.votedFor == v.votedFor &&
                      durableLast == v.lastIndex &&
                      (durable.log.empty() ||
                       durable.log.back() == node.entries(v.lastIndex, v.lastIndex)[0]);
    if (!same) {
        fail(findings::diskDiffers(v.id, v.currentTerm, v.votedFor, v.lastIndex,
                                   durable.currentTerm, durable.votedFor, durableLast));
    }
}

}  // namespace sim
