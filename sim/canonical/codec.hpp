// Translation between canonical/raft's wire and log types (raft.h) and raftsim's
// (core/message.hpp, core/types.hpp), in both directions and without loss. Every field
// canonical/raft 0.15 puts on the wire for the RPCs raftsim drives has a home in
// raft::Message; what cannot be carried (snapshots, TimeoutNow, payloads of another
// shape) is refused with raft::InvariantFailure rather than silently changed.
#pragma once

#include "sim/canonical/raft_c.hpp"

#include <cstddef>
#include <vector>

#include "core/message.hpp"
#include "core/types.hpp"

namespace sim::canonical {

// canonical/raft ids are nonzero: raftsim's node i is server i + 1.
inline raft_id serverId(raft::NodeId id) { return raft_id{id} + 1; }
raft::NodeId nodeId(raft_id id);  // kNoNode for 0
// "n0" .. "n8": the address of node i (static storage).
const char* address(raft::NodeId id);

// The configuration every node bootstraps with: servers 1..voters, all voters.
void bootstrapConfiguration(int voters, raft_configuration& out);

// raftsim entries. A COMMAND's payload is raftsim's command, 16 bytes: clientId, seq
// (32 bits each) and data (64 bits), little-endian. BARRIER and CHANGE entries are
// raft::EntryKind::Noop with a tag in `data`; the only CHANGE entry is the bootstrap
// configuration of all voters, rebuilt byte for byte from its voter count.
raft::Entry toSim(const raft_entry& e, int voters);
// The payload of `e` as canonical/raft stores it: its length, and the bytes at `out`
// (payloadSize(e) of them).
std::size_t payloadSize(const raft::Entry& e);
void writePayload(const raft::Entry& e, unsigned char* out);
// `n` entries in one raft_malloc'd batch (as canonical's own I/O loads and receives
// them): an array the library owns and frees, or null for none.
raft_entry* toCanonical(const raft::Entry* entries, std::size_t n);
// One command's payload for raft_apply, raft_malloc'd (the library takes it).
raft_buffer commandBuffer(const raft::Entry& command);

// Messages, from the sender `self`'s raft_message, and back for the receiver. A received
// AppendEntries gets its entries in a fresh batch the library takes over. A pre-vote
// answer carries the request's term (canonical/raft echoes it, granted or not): a
// refusal does not tell the candidate the voter's term, so it travels with term 0 (no
// term to adopt) and the echoed term in lastLogTerm.
raft::Message toSim(const raft_message& m, raft::NodeId self, int voters);
raft_message toCanonical(const raft::Message& m);

}  // namespace sim::canonical
