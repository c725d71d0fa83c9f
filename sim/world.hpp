// The simulated world: nodes, network, disks and clients under one virtual clock. Events
// are ordered by (time, sequence number), so ties never depend on memory layout.
#pragma once

#include <deque>
#include <optional>
#include <queue>
#include <variant>
#include <vector>

#include "core/hash.hpp"
#include "core/node.hpp"
#include "sim/checker.hpp"
#include "sim/clients.hpp"
#include "sim/kv.hpp"
#include "sim/network.hpp"
#include "sim/options.hpp"
#include "sim/rng.hpp"
#include "sim/stats.hpp"
#include "sim/violation.hpp"

namespace sim {

enum class EventKind : std::uint8_t {
    Deliver,       // node: receiver, ref: message slot
    Timer,         // node, ref: raft::Timer, gen: timer generation
    DiskDone,      // node, ref: write id, gen: incarnation
    ClientWake,    // ref: client, gen: client generation
    ClientArrive,  // node, ref: client, gen: client generation
    Nemesis,       // the fault injector strikes
    HealNetwork,   // gen: partition generation
    Restart,       // node, gen: incarnation that crashed
    Liveness,      // faults heal; the liveness phase starts
    End,
};

struct Event {
    Micros time = 0;
    std::uint64_t seq = 0;
    EventKind kind = EventKind::End;
    raft::NodeId node = 0;
    std::uint32_t ref = 0;
    std::uint32_t gen = 0;
};

struct RunResult {
    std::optional<Violation> violation;
    RunStats stats;
    std::uint64_t eventHash = 0;  // a fingerprint of the whole event stream
};

class World {
public:
    World(const SimOptions& options, std::uint64_t seed);

    // Runs the safety phase and then the liveness phase (or until a violation).
    RunResult run();

    // ---- finer control, for benchmarks and tests ----
    // Processes the next event; false when none is left or the run ended.
    bool step();
    // Feeds an input to a running node now, as if from outside.
    void inject(raft::NodeId id, const raft::Input& input);
    // Blocks or heals a directed link.
    void setLink(raft::NodeId from, raft::NodeId to, bool up);

    Micros now() const { return now_; }
    int nodeCount() const { return static_cast<int>(hosts_.size()); }
    const raft::Node* node(raft::NodeId id) const {
        return hosts_[id].node ? &*hosts_[id].node : nullptr;
    }
    raft::Index applied(raft::NodeId id) const { return hosts_[id].applied; }
    const std::optional<Violation>& violation() const { return checker_.violation(); }
    const RunStats& stats();
    std::uint64_t eventHash() const { return eventHash_.digest(); }
    const Clients& clients() const { return clients_; }

private:
    struct PendingWrite {
        std::uint32_t id;
        std::variant<raft::PersistHardState, raft::PersistEntries> write;
    };
    struct Deferred {
        std::uint32_t afterWrite;
        raft::Action action;
    };
    struct Host {
        std::optional<raft::Node> node;  // empty while crashed
        raft::DurableState disk;
        std::deque<PendingWrite> writes;  // in flight, completing in order
        std::vector<Deferred> outbox;     // actions waiting for a write (§3.8)
        std::uint32_t nextWriteId = 0;
        std::uint32_t incarnation = 0;
        std::array<std::uint32_t, 2> timerGen{};
        Micros diskFlushStart = 0;  // when the flush that new writes would join starts
        Micros diskBusyUntil = 0;   // when that flush is durable
        Micros pausedUntil = 0;
        int clockPercent = 100;
        KvStore kv;
        raft::Index applied = 0;
    };

    raft::Config nodeConfig(raft::NodeId id) const;
    void schedule(Micros time, EventKind kind, raft::NodeId node = 0, std::uint32_t ref = 0,
                  std::uint32_t gen = 0);
    void dispatch(const Event& e);
    bool deferForPause(const Event& e);

    // Nodes.
    void stepNode(raft::NodeId id, const raft::Input& input);
    void execute(raft::NodeId id, raft::Action&& action);
    void perform(raft::NodeId id, raft::Action&& action);
    void persist(raft::NodeId id, raft::Action&& action);
    void onDiskDone(raft::NodeId id, std::uint32_t writeId);
    void armTimer(raft::NodeId id, const raft::ArmTimer& arm);
    void send(raft::Message&& m);
    void deliver(raft::NodeId to, std::uint32_t slot);
    void apply(raft::NodeId id, const raft::Apply& apply);
    void observeLeader(const NodeSnapshot& before, const raft::Node& after);

    // Faults (world_faults.cpp).
    void crash(raft::NodeId id);
    void restart(raft::NodeId id);
    void strike();
    void partition(Nemesis kind);
    void startLiveness();
    void checkLivenessAtEnd();

    // Clients.
    void clientWake(int c, std::uint32_t gen);
    void clientArrive(raft::NodeId id, int c, std::uint32_t gen);
    void sendRequest(const ClientRequest& request, Micros delay);
    void scheduleFinishedClients();

    SimOptions options_;
    std::vector<Host> hosts_;
    Network network_;
    Clients clients_;
    Checker checker_;
    Rng diskRng_, faultRng_;
    std::vector<Rng> timerRngs_;

    std::priority_queue<Event, std::vector<Event>, bool (*)(const Event&, const Event&)> queue_;
    std::uint64_t nextSeq_ = 0;
    Micros now_ = 0;
    bool ended_ = false;

    std::vector<raft::Message> messages_;  // slab of messages in flight
    std::vector<std::uint32_t> freeSlots_;
    raft::Actions actions_;                // reused across steps

    std::uint32_t networkGen_ = 0;
    Micros livenessStartUs_ = -1;
    raft::NodeId lastLeader_ = raft::kNoNode;
    std::vector<std::uint32_t> clientGensSeen_;
    raft::Hasher eventHash_;
    RunStats stats_;
};

}  // namespace sim
