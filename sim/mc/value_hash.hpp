// Stable hashes of the values a model state holds by value: log entries, messages (their
// content apart from the endpoints, and the endpoints' part) and durable states. One home
// for the optimized model (tables.cpp) and the explorer through the seam (sim/seamcheck).
#pragma once

#include <cstdint>

#include "core/hash.hpp"
#include "core/io.hpp"
#include "core/membership.hpp"
#include "core/message.hpp"

namespace mc {

// The node sets inside a value (a configuration's voters and learners) as they are. The
// model checker's symmetry passes a renaming instead (tables.cpp); the result must fit in
// 16 bits.
struct SameIds {
    raft::NodeSet operator()(raft::NodeSet set) const { return set; }
};

template <class Rename = SameIds>
void addEntry(raft::Hasher& h, const raft::Entry& e, const Rename& rename = {}) {
    h.add(e.term);
    h.add(static_cast<std::uint64_t>(e.kind) | (std::uint64_t{e.clientId} << 8) |
          (std::uint64_t{e.seq} << 32));
    if (e.kind != raft::EntryKind::Configuration) {
        h.add(e.data);
        return;
    }
    const raft::Membership m = raft::membershipOf(e);  // as e.data when not renamed
    h.add(std::uint64_t{rename(m.voters)} | std::uint64_t{rename(m.learners)} << 16);
}

// A snapshot whose configuration is (voters, learners) (as it is, or renamed by the
// caller).
inline void hashSnapshot(raft::Hasher& h, const raft::Snapshot& s, raft::NodeSet voters, raft::NodeSet learners) {
    h.add(0x536e'6170'0000'0000ull ^ s.meta.lastIncludedIndex);
    h.add(s.meta.lastIncludedTerm);
    h.add(std::uint64_t{voters} | std::uint64_t{learners} << 16);
    h.add(s.handle);
    h.add(s.hash);
}

// Every field but `from` and `to`. The flags and the read round add nothing while they
// are unset, so messages without them hash as they always did.
template <class Rename = SameIds>
std::uint64_t contentHash(const raft::Message& m, const Rename& rename = {}) {
    raft::Hasher h;
    h.add(static_cast<std::uint64_t>(m.kind) | (std::uint64_t{m.success} << 8) |
          (std::uint64_t{m.leadershipTransfer} << 9) | (std::uint64_t{m.readRound} << 32));
    h.add(m.term);
    h.add(m.lastLogIndex);
    h.add(m.lastLogTerm);
    h.add(m.prevLogIndex);
    h.add(m.prevLogTerm);
    h.add(m.leaderCommit);
    h.add(m.matchIndex);
    h.add(m.rejectedIndex);
    h.add(m.conflictIndex);
    h.add(m.conflictTerm);
    h.add(m.entries.size());
    for (const raft::Entry& e : m.entries) addEntry(h, e, rename);
    // An InstallSnapshot's configuration; nothing for other messages.
    if (m.snapshotVoters != 0 || m.snapshotLearners != 0) {
        h.add(0x536e'6170'0000'0000ull | std::uint64_t{rename(m.snapshotLearners)} << 16 |
              rename(m.snapshotVoters));
    }
    return h.digest();
}

inline std::uint64_t endpoints(raft::NodeId from, raft::NodeId to) {
    return (std::uint64_t{from} << 8 | to) * 0x9e3779b97f4a7c15ULL;
}

// A message with its endpoints (as they are, or renamed by the caller).
inline std::uint64_t messageHash(std::uint64_t content, raft::NodeId from, raft::NodeId to) {
    return raft::Hasher::mix(content ^ endpoints(from, to));
}

// Whether a message names nodes anywhere but in its endpoints (so a renaming must hash
// its content again).
inline bool carriesNodeSets(const raft::Message& m) {
    if (m.snapshotVoters != 0 || m.snapshotLearners != 0) return true;
    for (const raft::Entry& e : m.entries) {
        if (e.kind == raft::EntryKind::Configuration) return true;
    }
    return false;
}

// A durable state whose vote is `votedFor` (as it is, or renamed by the caller, as are
// its node sets by `rename`).
template <class Rename = SameIds>
std::uint64_t durableHash(const raft::DurableState& d, raft::NodeId votedFor, const Rename& rename = {}) {
    raft::Hasher h;
    h.add(d.currentTerm);
    h.add(votedFor);
    h.add(d.log.size());
    for (const raft::Entry& e : d.log) addEntry(h, e, rename);
    if (!d.snapshot.empty()) {
        hashSnapshot(h, d.snapshot, rename(d.snapshot.meta.voters), rename(d.snapshot.meta.learners));
    }
    return h.digest();
}

}  // namespace mc
