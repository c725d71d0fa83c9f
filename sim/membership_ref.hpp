// How a trace's `membership` event records the operator's request and the reply it got in
// one number (EventRecord::ref): the change's kind in bits 0..7, the server it names in
// bits 8..15, and the outcome in bits 16..23 (0: no reply during the event, as for a
// voter still being caught up or a node that is down; 1: accepted; 2 + the refusal).
#pragma once

#include <cstdint>
#include <optional>

#include "core/membership.hpp"

namespace sim {

enum class ChangeOutcome : std::uint8_t { None, Accepted, Refused };

inline std::uint32_t membershipRef(const raft::ChangeMembership& change) {
    return static_cast<std::uint32_t>(change.kind) | (std::uint32_t{change.node} << 8);
}

inline std::uint32_t withReply(std::uint32_t ref, const raft::ChangeReply& reply) {
    const std::uint32_t outcome = reply.accepted ? 1u : 2u + static_cast<std::uint32_t>(reply.reason);
    return (ref & 0xFFFFu) | (outcome << 16);
}

inline raft::ChangeMembership changeOf(std::uint32_t ref) {
    return {.kind = static_cast<raft::ChangeKind>(ref & 0xFFu), .node = static_cast<raft::NodeId>((ref >> 8) & 0xFFu)};
}

// The reply recorded in `ref`: nullopt when none came during the event.
inline std::optional<raft::ChangeReply> replyOf(std::uint32_t ref) {
    const std::uint32_t outcome = (ref >> 16) & 0xFFu;
    if (outcome == 0) return std::nullopt;
    raft::ChangeReply reply{.accepted = outcome == 1};
    if (outcome >= 2) reply.reason = static_cast<raft::ChangeRefusal>(outcome - 2);
    return reply;
}

}  // namespace sim
