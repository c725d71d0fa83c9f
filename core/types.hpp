// Basic protocol vocabulary: ids, terms, indexes and log entries.
#pragma once

#include <cstdint>
#include <string_view>

namespace raft {

using NodeId = std::uint8_t;
using Term = std::uint64_t;
using Index = std::uint64_t;
using Micros = std::int64_t;  // durations the node asks for; the environment owns the clock

constexpr int kMaxNodes = 9;
constexpr NodeId kNoNode = 0xFF;

// A set of node ids as a bitmask (ids are 0..kMaxNodes-1).
using NodeSet = std::uint16_t;

constexpr NodeSet nodeBit(NodeId id) { return static_cast<NodeSet>(1u << id); }
constexpr bool contains(NodeSet set, NodeId id) { return (set & nodeBit(id)) != 0; }
constexpr int countOf(NodeSet set) { return __builtin_popcount(set); }

enum class EntryKind : std::uint8_t {
    Noop,     // appended by every new leader at the start of its term (§5.4.2, §8)
    Command,  // an opaque client command for the state machine
    // A cluster configuration (thesis §4.1): voters and learners in `data`, see
    // core/membership.hpp. In effect on a node as soon as it is in its log.
    Configuration,
};

std::string_view name(EntryKind kind);  // "noop", "command", "configuration"

// One log entry. The payload is opaque to the protocol: the environment encodes its
// commands in `data` and identifies the request by (clientId, seq).
struct Entry {
    Term term = 0;
    EntryKind kind = EntryKind::Noop;
    std::uint32_t clientId = 0;
    std::uint32_t seq = 0;
    std::uint64_t data = 0;

    friend bool operator==(const Entry&, const Entry&) = default;
};

}  // namespace raft
