// A key-value workload: clients send requests to the node they believe leads, retry
// elsewhere when refused, give up after a timeout, and record every request as
// invoke/ok/fail/info for a later linearizability check. With sessions (thesis §6.3) a
// client registers first, and retries a command it has no answer for under the same
// (session, seq) until it gets one, instead of giving up.
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

// What the clients' sessions did (runs with sessions), as the clients saw it.
struct SessionCounts {
    std::uint64_t registered = 0;  // sessions opened for a client
    std::uint64_t retried = 0;     // commands sent again under the same (session, seq)
    std::uint64_t duplicates = 0;  // answers a session gave from its saved response
    std::uint64_t expired = 0;     // "session expired" answers (the operation is info)
};

// The client id of a request without a session (a register, or a read that bypasses the
// log): the client's number with the top bit set. Session ids are log indexes, below it.
constexpr std::uint32_t kNoSessionBit = 0x8000'0000u;

class Clients {
public:
    // readsBypassLog: gets are sent as reads (raft::Read, thesis §6.4), not as commands.
    // sessions: clients register and retry (thesis §6.3).
    Clients(const WorkloadConfig& config, int nodes, Choices rng, bool readsBypassLog = false,
            bool sessions = false);
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
    // A waiting client's request timed out. Without sessions it gives up: the outcome is
    // unknown (info). With sessions it sends the same request again, to a random node.
    std::optional<ClientRequest> timeout(int c, Micros now);
    // A node answered a proposal; a refusal yields the request again, to another node.
    std::optional<ClientRequest> onReply(raft::NodeId node, const raft::ProposeReply& reply);
    // A node answered a read; an accepted one is answered from the node's state machine
    // now. A refusal yields the request again, to another node.
    std::optional<ClientRequest> onReadReply(raft::NodeId node, const raft::ReadReply& reply,
                                             const KvStore& kv, Micros now);
    // A node applied a committed entry with the given state-machine answer.
    void onApplied(raft::NodeId node, raft::Index index, const raft::Entry& entry,
                   const Answer& answer, Micros now);
    // Requests to send now that onApplied produced (sessions: a command after its
    // register, or a command whose entry lost its index); the caller sends and clears them.
    std::vector<ClientRequest>& outgoing() { return outgoing_; }

    Micros thinkTime() { return rng_.between(1, config_.thinkTimeMaxUs); }
    // The delay of the request just started or refused (of client `current_`).
    Micros latency() { return 100 + static_cast<Micros>(draw(current_, 1'901)); }
    Micros latency(int c) {
        current_ = c;
        return latency();
    }
    bool sessions() const { return sessions_; }
    const SessionCounts& sessionCounts() const { return sessionCounts_; }
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
        std::optional<std::uint32_t> session;  // sessions: the id it registered
    };

    void finish(int c, Outcome outcome, std::uint64_t result, Micros now);
    std::uint64_t event() const { return eventCount_ != nullptr ? *eventCount_ : 0; }
    // The waiting client whose request is (clientId, seq); -1: none.
    int clientOf(std::uint32_t clientId, std::uint32_t seq) const;
    // The entry of client c's operation under its session (or without one).
    raft::Entry commandEntry(int c, const KvCommand& command) const;
    // Sessions: client c's request was answered by the state machine.
    void onAnswer(int c, raft::NodeId node, const Answer& answer, Micros now);
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
    bool sessions_ = false;
    SessionCounts sessionCounts_;
    std::vector<ClientRequest> outgoing_;
    int current_ = 0;                 // the client whose request the world is sending
    std::vector<ClientDraw> draws_;  // recording runs only
};

}  // namespace sim
