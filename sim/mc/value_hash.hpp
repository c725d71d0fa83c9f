// Stable hashes of the values a model state holds by value: log entries, messages (their
// content apart from the endpoints, and the endpoints' part) and durable states. One home
// for the optimized model (tables.cpp) and the explorer through the seam (sim/seamcheck).
#pragma once

#include <cstdint>

#include "core/hash.hpp"
#include "core/io.hpp"
#include "core/message.hpp"

namespace mc {

inline void addEntry(raft::Hasher& h, const raft::Entry& e) {
    h.add(e.term);
    h.add(static_cast<std::uint64_t>(e.kind) | (std::uint64_t{e.clientId} << 8) |
          (std::uint64_t{e.seq} << 32));
    h.add(e.data);
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
inline std::uint64_t contentHash(const raft::Message& m) {
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
    for (const raft::Entry& e : m.entries) addEntry(h, e);
    // An InstallSnapshot's configuration; nothing for other messages.
    if (m.snapshotVoters != 0 || m.snapshotLearners != 0) {
        h.add(0x536e'6170'0000'0000ull | std::uint64_t{m.snapshotLearners} << 16 | m.snapshotVoters);
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

// A durable state whose vote is `votedFor` (as it is, or renamed by the caller).
inline std::uint64_t durableHash(const raft::DurableState& d, raft::NodeId votedFor) {
    raft::Hasher h;
    h.add(d.currentTerm);
    h.add(votedFor);
    h.add(d.log.size());
    for (const raft::Entry& e : d.log) addEntry(h, e);
    if (!d.snapshot.empty()) hashSnapshot(h, d.snapshot, d.snapshot.meta.voters, d.snapshot.meta.learners);
    return h.digest();
}

}  // namespace mc
