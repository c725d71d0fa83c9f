// Stable hashes of the values a seam state holds by value: messages (every field,
// endpoints included) and durable states.
#pragma once

#include <cstdint>

#include "core/hash.hpp"
#include "core/io.hpp"
#include "core/message.hpp"

namespace mc::seam {

inline void addEntry(raft::Hasher& h, const raft::Entry& e) {
    h.add(e.term);
    h.add(static_cast<std::uint64_t>(e.kind) | (std::uint64_t{e.clientId} << 8) | (std::uint64_t{e.seq} << 32));
    h.add(e.data);
}

inline std::uint64_t messageHash(const raft::Message& m) {
    raft::Hasher h;
    h.add(static_cast<std::uint64_t>(m.kind) | (std::uint64_t{m.success} << 8) |
          (std::uint64_t{m.leadershipTransfer} << 9) | (std::uint64_t{m.from} << 16) | (std::uint64_t{m.to} << 32));
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
    return h.digest();
}

inline std::uint64_t durableHash(const raft::DurableState& d) {
    raft::Hasher h;
    h.add(d.currentTerm);
    h.add(d.votedFor);
    h.add(d.log.size());
    for (const raft::Entry& e : d.log) addEntry(h, e);
    return h.digest();
}

}  // namespace mc::seam
