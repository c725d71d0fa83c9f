// A key-value workload: clients send requests to the node they believe leads, retry
// elsewhere when refused, give up after a timeout, and record every request as
// invoke/ok/fail/info for a later linearizability check.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/io.hpp"
#include "sim/choices.hpp"
#include "sim/kv.hpp"
#include "sim/options.hpp"

namespace sim {

enum class Outcome : std::uint8_t { Pending, Ok, Fail, Info };

std::string_view name(Outcome outcome);

struct Operation {
    int client = 0;
    std::uint32_t seq = 0;
    KvCommand command;
    Micros invokeUs = 0;
    Micros completeUs = 0;
    Outcome outcome = Outcome::Pending;
    std::uint64_t result = 0;
    // The run's events (1-based, as Violation::event) during which the operation was
    // invoked and completed; 0: not known (no event counter) or not completed.
    std::uint64_t invokeEvent = 0;
    std::uint64_t completeEvent = 0;

    friend bool operator==(const Operation&, const Operation&) = default;
};

// Who drew a choice on the recorded client tape: a client, and the request (its seq) the
// draw served; seq 0 is its initial target. A shrinker deletes a request with its draws.
struct ClientDraw {
    int client = 0;
    std::uint32_t seq = 0;
};

struct ClientRequest {
    int client = 0;
    raft::NodeId node = 0;
    raft::Entry entry;
};

class Clients {
public:
    // readsBypassLog: gets are sent as reads (raft::Read, thesis §6.4), not as commands.
    Clients(const WorkloadConfig& config, int nodes, Choices rng, bool readsBypassLog = false);
    // The world's count of processed events, which operations note as their invokeEvent
    // and completeEvent (without it, 0).
    void countEvents(const std::uint64_t* eventCount) { eventCount_ = eventCount; }

    int count() const { return static_cast<int>(clients_.size()); }
    bool waiting(int c) const { return clients_[c].op.has_value(); }
    std::uint32_t generation(int c) const { return clients_[c].generation; }
    const raft::Entry& pendingEntry(int c) const { return clients_[c].entry; }
    // Whether client c waits on a read served without the log.
    bool waitsOnRead(int c) const;

    // A new operation for an idle client: a random command, or the given one.
    ClientRequest start(int c, Micros now) { return start(c, now, randomCommand()); }
    ClientRequest start(int c, Micros now, const KvCommand& command);
    KvCommand randomCommand();
    // A waiting client gives up: the outcome is unknown (info).
    void timeout(int c, Micros now);
    // A node answered a proposal; a refusal yields the request again, to another node.
    std::optional<ClientRequest> onReply(raft::NodeId node, const raft::ProposeReply& reply);
    // A node answered a read; an accepted one is answered from the node's state machine
    // now. A refusal yields the request again, to another node.
    std::optional<ClientRequest> onReadReply(raft::NodeId node, const raft::ReadReply& reply,
                                             const KvStore& kv, Micros now);
    // A node applied a committed entry with the given state-machine result.
    void onApplied(raft::NodeId node, raft::Index index, const raft::Entry& entry,
                   std::uint64_t result, Micros now);

    Micros thinkTime() { return rng_.between(1, config_.thinkTimeMaxUs); }
    // The delay of the request just started or refused (of client `current_`).
    Micros latency() { return 100 + static_cast<Micros>(draw(current_, 1'901)); }
    const WorkloadConfig& config() const { return config_; }
    Choices& choices() { return rng_; }
    const std::vector<Operation>& history() const { return history_; }
    std::vector<Operation>& historyForTesting() { return history_; }  // tests tamper with it
    // Recording runs only: the owner of each recorded draw, in tape order.
    const std::vector<ClientDraw>& draws() const { return draws_; }

private:
    struct Accepted {
        raft::NodeId node;
        raft::Index index;
        raft::Term term;
    };
    struct State {
        std::uint32_t seq = 0;
        std::uint32_t generation = 0;      // bumps when an operation ends (stale timeouts)
        std::optional<std::size_t> op;     // index into history_ while waiting
        std::optional<Accepted> accepted;  // where a leader put it
        raft::NodeId target = 0;           // the node believed to lead
        raft::Entry entry;
    };

    void finish(int c, Outcome outcome, std::uint64_t result, Micros now);
    std::uint64_t event() const { return eventCount_ != nullptr ? *eventCount_ : 0; }
    // The request of a refused client, to the hinted node or another one.
    ClientRequest retry(int c, raft::NodeId refusedBy, raft::NodeId hint);
    // A choice made for client c (notes its owner when the choice is recorded).
    std::uint64_t draw(int c, std::uint64_t bound);

    WorkloadConfig config_;
    int nodes_;
    Choices rng_;
    std::vector<State> clients_;
    std::vector<Operation> history_;
    bool readsBypassLog_ = false;
    const std::uint64_t* eventCount_ = nullptr;
    int current_ = 0;                 // the client whose request the world is sending
    std::vector<ClientDraw> draws_;  // recording runs only
};

}  // namespace sim
