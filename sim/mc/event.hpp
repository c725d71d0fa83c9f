// The events the model checker may fire in a state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/io.hpp"
#include "core/membership.hpp"
#include "core/message.hpp"
#include "core/types.hpp"

namespace mc {

enum class EventKind : std::uint8_t {
    Deliver,    // deliver one copy of `msg` to its destination
    Drop,       // lose one copy of `msg`
    Duplicate,  // add a copy of `msg`
    Timeout,    // fire node's armed timer (`timer`)
    Crash,      // node loses its volatile state and stops
    Restart,    // a crashed node restarts from its durable state
    Client,     // a client proposes `value` to node (a leader)
    DiskDone,   // node's oldest pending write completes (Bounds::asyncWrites)
    Transfer,   // a TransferLeadership to `value` (kNoNode: the most up to date) at a leader
    Read,       // a client's Read (seq `value`) at node
    Change,     // a ChangeMembership at a leader: `value` packs the kind and the server (changeEvent)
    Snapshot,   // a TakeSnapshot at node's applied index (`value`)
};

std::string_view name(EventKind kind);

// A membership change as an event's value: the kind above the server's id.
inline std::uint32_t packChange(raft::ChangeKind kind, raft::NodeId server) {
    return static_cast<std::uint32_t>(kind) << 8 | server;
}
inline raft::ChangeKind changeKindOf(std::uint32_t value) { return static_cast<raft::ChangeKind>(value >> 8); }
inline raft::NodeId changeServerOf(std::uint32_t value) { return static_cast<raft::NodeId>(value & 0xFF); }

struct Event {
    EventKind kind = EventKind::Deliver;
    raft::NodeId node = 0;
    raft::Timer timer = raft::Timer::Election;
    // Client: the value; DiskDone: the Persisted report, packed; Transfer: the target;
    // Read: the read's seq (1, 2, ... in the order reads are invoked on the path);
    // Change: see changeEvent; Snapshot: the index the snapshot ends at.
    std::uint32_t value = 0;
    std::uint32_t msg = 0;  // Tables::msgs id, for message events
};

// One line: "deliver AppendEntries 0->1 term=1 prev=(0,0) entries=[1] commit=0".
std::string describe(const raft::Message& m);
// One line for a transfer, read, change or snapshot event: "transfer node 0 to 2",
// "read 1 at node 1", "change add-learner 3 at node 0", "snapshot node 1 at 2".
std::string describeInput(const Event& e);
// One line for an event: "timeout node 0 election", "deliver RequestVote 0->1 ...";
// `m` is the message of a message event (ignored for the others).
std::string describe(const Event& e, const raft::Message& m);

}  // namespace mc
