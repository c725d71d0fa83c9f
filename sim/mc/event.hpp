// The events the model checker may fire in a state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/io.hpp"
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
};

std::string_view name(EventKind kind);

struct Event {
    EventKind kind = EventKind::Deliver;
    raft::NodeId node = 0;
    raft::Timer timer = raft::Timer::Election;
    // Client: the value; DiskDone: the Persisted report, packed; Transfer: the target;
    // Read: the read's seq (1, 2, ... in the order reads are invoked on the path).
    std::uint32_t value = 0;
    std::uint32_t msg = 0;  // Tables::msgs id, for message events
};

// One line: "deliver AppendEntries 0->1 term=1 prev=(0,0) entries=[1] commit=0".
std::string describe(const raft::Message& m);
// One line for a transfer or read event: "transfer node 0 to 2", "read 1 at node 1".
std::string describeInput(const Event& e);
// One line for an event: "timeout node 0 election", "deliver RequestVote 0->1 ...";
// `m` is the message of a message event (ignored for the others).
std::string describe(const Event& e, const raft::Message& m);

}  // namespace mc
