// What a run does besides what its nodes decide: the external schedule (faults and
// client requests) and the random choices of each component. A World records its
// script, or follows a given one instead of its seed (replay and shrinking).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "sim/choices.hpp"
#include "sim/kv.hpp"
#include "sim/options.hpp"

namespace sim {

// One strike of the nemesis, with everything it decided.
struct FaultStrike {
    Micros timeUs = 0;
    Nemesis kind = Nemesis::Count_;  // Count_: it woke after the heal and did nothing
    raft::NodeId node = 0;           // the victim; Clog: the link's sender
    raft::NodeId peer = 0;           // Clog: the link's receiver
    Micros durationUs = 0;           // partition, clog, pause: how long; crash: downtime
    std::int32_t clockPercent = 100;  // Drift: the victim's timer speed
    std::vector<std::array<raft::NodeId, 2>> cuts;  // network kinds: directed links cut

    friend bool operator==(const FaultStrike&, const FaultStrike&) = default;
};

// One client operation: the client thinks, then invokes `command` (retrying as usual).
struct ClientStep {
    int client = 0;
    Micros thinkUs = 1;
    bool invoked = false;  // false: the run ended before the client woke to invoke it
    KvCommand command;

    friend bool operator==(const ClientStep& a, const ClientStep& b) {
        return a.client == b.client && a.thinkUs == b.thinkUs && a.invoked == b.invoked &&
               a.command.op == b.command.op && a.command.key == b.command.key &&
               a.command.value == b.command.value && a.command.expected == b.command.expected;
    }
};

// The tapes of the components' choices, by stream.
enum ChoiceStream : std::size_t { kNetworkChoices, kDiskChoices, kClientChoices, kTimerChoices };

struct Script {
    std::vector<FaultStrike> faults;     // in the order they struck
    std::vector<ClientStep> requests;    // in the order the clients started thinking
    std::vector<ChoiceTape> tapes;       // kTimerChoices + i: node i's timers

    static std::size_t tapeCount(int nodes) { return kTimerChoices + static_cast<std::size_t>(nodes); }
    friend bool operator==(const Script&, const Script&) = default;
};

}  // namespace sim
