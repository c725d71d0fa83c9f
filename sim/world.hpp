// The simulated world: nodes, network, disks and clients under one virtual clock. Events
// are ordered by (time, sequence number), so ties never depend on memory layout.
#pragma once

#include <deque>
#include <optional>
#include <variant>
#include <vector>

#include "core/hash.hpp"
#include "core/node.hpp"
#include "sim/checker.hpp"
#include "sim/clients.hpp"
#include "sim/event_queue.hpp"
#include "sim/kv.hpp"
#include "sim/lin/check.hpp"
#include "sim/network.hpp"
#include "sim/node_seam.hpp"
#include "sim/options.hpp"
#include "sim/rng.hpp"
#include "sim/script.hpp"
#include "sim/snapshot_store.hpp"
#include "sim/standing.hpp"
#include "sim/stats.hpp"
#include "sim/violation.hpp"

namespace sim {

// One processed event as a recorder sees it: what happened and the node's state after.
struct EventRecord {
    std::uint64_t index = 0;  // 1-based, as Violation::event
    Micros timeUs = 0;
    EventKind kind = EventKind::End;
    raft::NodeId node = raft::kNoNode;  // receiver, timer owner, fault victim; kNoNode: none
    std::uint32_t ref = 0;              // Timer: raft::Timer; client events: the client
    bool stepped = false;               // the node took a step (not a stale or lost event)
    // Deliver: the message, and the event during which it was sent (0: before the first).
    raft::MsgKind msgKind = raft::MsgKind::AppendEntries;
    raft::NodeId from = raft::kNoNode;
    raft::Term msgTerm = 0;
    std::uint64_t sentEvent = 0;
    Nemesis fault = Nemesis::Count_;  // Nemesis: what struck (Count_: nothing)
    // The node after the event (up: false while crashed or for no node).
    bool up = false;
    raft::Role role = raft::Role::Follower;
    raft::Term term = 0;
    raft::Index commitIndex = 0;
    raft::Index lastIndex = 0;
    // Log compaction: during the event the node took a snapshot of its state machine at
    // this index, or installed a leader's snapshot up to it (0: neither).
    raft::Index snapshotTaken = 0;
    raft::Index snapshotInstalled = 0;

    friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

// Receives every processed event of a tapped world.
class EventObserver {
public:
    virtual ~EventObserver() = default;
    virtual void onEvent(const EventRecord& event) = 0;
};

// How a world is tapped. All empty: a plain run, at full speed.
struct Tap {
    Script* record = nullptr;        // gets the schedule and choices this run makes
    const Script* replay = nullptr;  // followed instead of the seed's draws
    EventObserver* observer = nullptr;
};

struct RunResult {
    std::optional<Violation> violation;
    // The run stopped at SimOptions::maxEvents before its end: neither held nor violated.
    bool eventCapReached = false;
    RunStats stats;
    std::uint64_t eventHash = 0;  // a fingerprint of the whole event stream
    // The linearizability check of the clients' history, made when the run ended without
    // another violation (a Violated one is `violation`, property Property::Linearizability).
    std::optional<lin::Result> lin;
    // The standing partial fault of the liveness phase (`--standing-fault`), if any.
    std::optional<StandingFault> standing;
};

class World {
public:
    World(const SimOptions& options, std::uint64_t seed, Tap tap = {});
    // Its clients point at its event count: a world stays where it was built.
    World(World&&) = delete;
    World& operator=(World&&) = delete;

    // Runs the safety phase and then the liveness phase (or until a violation), then
    // finish().
    RunResult run();
    // The checks of a whole run, after its events: the clients' history must be
    // linearizable (unless a violation came first or the options turn it off).
    RunResult finish();

    // ---- finer control, for benchmarks and tests ----
    // Processes the next event; false when none is left or the run ended.
    bool step();
    // Feeds an input to a running node now, as if from outside.
    void inject(raft::NodeId id, const raft::Input& input);
    // Blocks or heals a directed link.
    void setLink(raft::NodeId from, raft::NodeId to, bool up);

    Micros now() const { return now_; }
    int nodeCount() const { return static_cast<int>(hosts_.size()); }
    // The node under test, null while crashed.
    const NodeUnderTest* member(raft::NodeId id) const { return hosts_[id].node.get(); }
    // raftsim's own core at `id`, null while crashed or when another Raft runs.
    const raft::Node* node(raft::NodeId id) const {
        return hosts_[id].node ? hosts_[id].node->core() : nullptr;
    }
    raft::Index applied(raft::NodeId id) const { return hosts_[id].applied; }
    const std::optional<Violation>& violation() const {
        return checker_.violation() ? checker_.violation() : linViolation_;
    }
    bool eventCapReached() const { return eventCapReached_; }
    const RunStats& stats();
    std::uint64_t eventHash() const { return eventHash_.digest(); }
    const Clients& clients() const { return clients_; }
    // The state machine of node `id` (tests: sessions, dedupe, expiry).
    const KvStore& store(raft::NodeId id) const { return hosts_[id].kv; }
    // Tests only: a history to tamper with before finish(), to see the check catch it.
    std::vector<Operation>& historyForTesting() { return clients_.historyForTesting(); }
    // Tapped runs: the message of the last Deliver event, whole (a trace records only its
    // kind, sender and term), for viewers that explain what the receiver did with it.
    const raft::Message& lastDelivered() const { return lastDelivered_; }
    // The standing partial fault of the liveness phase, once it stands.
    const std::optional<StandingFault>& standingFault() const { return standing_; }
    // Whether this run changes membership or compacts logs (viewers then show each
    // node's configuration and snapshot base).
    bool changesConfigOrLog() const { return membership_ || snapshotEvery_ != 0; }

private:
    struct PendingWrite {
        std::uint32_t id;
        std::variant<raft::PersistHardState, raft::PersistEntries, raft::PersistSnapshot> write;
    };
    struct Deferred {
        std::uint32_t afterWrite;
        raft::Action action;
        // An Apply's entries, copied: the node's log may change before they are applied.
        std::vector<raft::Entry> applied;
    };
    struct Host {
        std::unique_ptr<NodeUnderTest> node;  // null while crashed
        NodeView view;  // the node's, after its last step
        raft::DurableState disk;
        std::deque<PendingWrite> writes;  // in flight, completing in order
        std::vector<Deferred> outbox;     // actions waiting for a write (§3.8)
        std::uint32_t nextWriteId = 0;
        std::uint32_t incarnation = 0;
        std::array<std::uint32_t, 2> timerGen{};
        // Timers are re-armed lazily: a re-arm only moves the deadline, and the one queued
        // event (at timerQueuedAt, -1 if none) re-queues itself until the deadline.
        std::array<Micros, 2> timerDeadline{-1, -1};  // -1: not armed
        std::array<Micros, 2> timerQueuedAt{-1, -1};
        Micros diskFlushStart = 0;  // when the flush that new writes would join starts
        Micros diskBusyUntil = 0;   // when that flush is durable
        Micros pausedUntil = 0;
        int clockPercent = 100;
        // The node's own clock (leases, thesis §6.4.1), in hundredths of a microsecond:
        // clockAt100 when clockPercent last changed, at real time clockSetAtUs.
        std::int64_t clockAt100 = 0;
        Micros clockSetAtUs = 0;
        KvStore kv;
        raft::Index applied = 0;
        raft::Index snapshotAt = 0;  // the state machine's last snapshot (world_snapshots.cpp)
    };

    raft::Config nodeConfig(raft::NodeId id) const;
    KvStore freshStore() const;  // a state machine as a node starts with, sessions and all
    void schedule(Micros time, EventKind kind, raft::NodeId node = 0, std::uint32_t ref = 0,
                  std::uint32_t gen = 0);
    void dispatch(const Event& e);
    void observe(const Event& e);
    bool deferForPause(const Event& e);
    bool skipTimerBookkeeping(const Event& e);
    void disarmTimers(Host& h);

    // Nodes.
    void stepNode(raft::NodeId id, const raft::Input& input);  // a tripped assertion: a finding
    void stepNodeUnguarded(raft::NodeId id, const raft::Input& input);
    void execute(raft::NodeId id, raft::Action&& action);
    void checkLeaseRead(raft::NodeId id, const raft::Action& action);
    void perform(raft::NodeId id, raft::Action&& action);
    void persist(raft::NodeId id, raft::Action&& action);
    void defer(Host& h, raft::Action&& action);
    void onDiskDone(raft::NodeId id, std::uint32_t writeId);
    void armTimer(raft::NodeId id, const raft::ArmTimer& arm);
    Micros localClock(raft::NodeId id) const;  // 0 unless the nodes read their clocks
    void setClockPercent(Host& h, int percent);
    void send(raft::Message&& m);
    void deliver(raft::NodeId to, std::uint32_t slot);
    void apply(raft::NodeId id, raft::Index firstIndex, std::span<const raft::Entry> entries);
    void observeLeader(const NodeView& before, const NodeView& after, const NodeUnderTest& node);
    void startNode(raft::NodeId id);  // from its disk

    // Log compaction (world_snapshots.cpp).
    void takeDueSnapshot(raft::NodeId id);
    void persistSnapshot(Host& h, const raft::PersistSnapshot& write);
    void restoreSnapshot(raft::NodeId id, const raft::Snapshot& snapshot);
    void collectSnapshots();
    std::uint64_t applyHash(const Host& h) const;

    // Faults (world_faults.cpp).
    void crash(raft::NodeId id, Micros downUs);
    void restart(raft::NodeId id);
    void strike();
    FaultStrike drawStrike();
    void drawCuts(FaultStrike& s);
    void applyStrike(const FaultStrike& s);
    void startLiveness();
    void checkLivenessAtEnd();
    std::string nodeStates() const;  // " n0:Leader/t3/commit7/last7 ..." for findings

    // Standing partial faults (world_standing.cpp, sim/standing.hpp).
    void startStanding();
    void observeStanding(raft::NodeId id, const NodeView& before, const NodeView& after);
    bool leadsOwnTerm(raft::NodeId id) const;  // a leader whose commitIndex is of its term
    void endStandingGap(bool stillStalled);

    // Leadership transfers (thesis §3.10), asked for by an operator.
    void transferLeadership();
    raft::NodeId operatorLeader();
    void scheduleTransfer();

    // Membership changes (thesis §4.1-§4.3) asked for by an operator (world_membership.cpp).
    void changeMembership();
    void scheduleMembership();
    std::optional<raft::ChangeMembership> drawChange(const raft::Membership& current);
    void onChangeReply(const raft::ChangeReply& reply);
    void afterHeartbeatMembership(raft::NodeId id);
    // Thesis §4.2.3: the receiver disregards (term and all) a RequestVote from a server
    // that is not a voter of its configuration.
    bool voteFromNonVoter(raft::NodeId to, const raft::Message& m) const;
    std::vector<StandingHost> standingHosts() const;

    // Clients.
    void clientWake(int c, std::uint32_t gen);
    void clientArrive(raft::NodeId id, int c, std::uint32_t gen);
    void resend(const ClientRequest& request, raft::NodeId hint);
    void sendRequest(const ClientRequest& request, Micros delay);
    void scheduleFinishedClients();
    Micros thinkTime(int c);  // -1: a replayed client has no more requests
    KvCommand nextCommand(int c);

    // Tapping (world_tap.cpp).
    static Tap prepare(Tap tap, const SimOptions& options);
    Choices stream(std::uint64_t seed, std::uint64_t id, std::size_t tape) const;
    void prepareReplay();

    Tap tap_;  // first: the components' choice streams are wired to it
    SimOptions options_;
    const Implementation& implementation_;
    std::vector<Host> hosts_;
    Network network_;
    Clients clients_;
    Checker checker_;
    Choices diskRng_;
    Rng faultRng_;
    Rng standingRng_;  // draws the standing fault at the heal
    std::vector<Choices> timerRngs_;
    bool transfers_ = false;  // transfersOn(options)
    bool leaseClocks_ = false;  // the nodes read their clocks (Reads::Lease)
    Choices transferRng_;     // the operator's choices: when, whom to ask, which target
    std::uint32_t snapshotEvery_ = 0;  // snapshotsOf(options); 0: no compaction
    SnapshotStore snapshots_;
    raft::Index eventSnapshotTaken_ = 0;      // during the current event (EventRecord)
    raft::Index eventSnapshotInstalled_ = 0;
    bool membership_ = false;  // membershipOn(options): spare hosts, membership changes
    Choices membershipRng_;    // the operator's membership choices: when, whom, what
    raft::NodeId replaceRemoves_ = raft::kNoNode;  // a "replace": the server to remove next

    EventQueue queue_;
    std::uint64_t nextSeq_ = 0;
    Micros now_ = 0;
    bool ended_ = false;
    bool eventCapReached_ = false;
    std::optional<Violation> linViolation_;  // set by finish()

    // Slab of messages in flight, each already an input (Receive) for its receiver.
    std::vector<raft::Input> messages_;
    raft::Message& message(std::uint32_t slot) {
        return std::get_if<raft::Receive>(&messages_[slot])->message;
    }
    std::vector<std::uint32_t> freeSlots_;
    raft::Actions actions_;                // reused across steps

    std::uint32_t networkGen_ = 0;
    Micros livenessStartUs_ = -1;
    // When the last fault ended: the heal, or later a pause that outlasts it (the heal
    // leaves a frozen process frozen until its pause ends). Recovery in election timeouts
    // counts from here (sim/recovery.hpp).
    Micros faultsEndedUs_ = -1;
    // Under a standing fault: the nodes of M that lead with an entry of their term
    // committed, when the fault began to stand (the heal, or a later pause end of a node
    // of M), and when M last lost its last such leader.
    std::optional<StandingFault> standing_;
    raft::NodeSet standingLed_ = 0;
    bool standingEverLed_ = false;  // M has had such a leader since the fault stood
    Micros standingStartUs_ = -1;
    Micros unledSinceUs_ = -1;
    raft::NodeId lastLeader_ = raft::kNoNode;
    std::vector<std::uint32_t> clientGensSeen_;
    raft::Hasher eventHash_;
    RunStats stats_;

    // Tapped runs only.
    std::uint64_t steps_ = 0;               // node steps taken
    std::vector<std::uint64_t> sentEvent_;  // per message slot: the event that sent it
    raft::Message lastDelivered_;
    raft::NodeId lastTransferNode_ = raft::kNoNode;    // the node the last transfer asked
    raft::NodeId lastTransferTarget_ = raft::kNoNode;  // and the target it named
    raft::NodeId lastChangeNode_ = raft::kNoNode;      // the node the last change asked
    std::uint32_t lastChange_ = 0;  // membershipRef(): the change and its reply, if any
    std::vector<raft::Term> transferCampaign_;  // per node: the term a TimeoutNow made it campaign in
    std::size_t nextStrike_ = 0;            // replay: the next fault of the script
    FaultStrike lastStrike_;
    std::vector<std::deque<std::size_t>> clientQueue_;  // replay: each client's requests
    std::vector<std::size_t> replayStep_;  // per client: its request in the replayed script
    std::vector<std::size_t> recordStep_;  // per client: its request in the recorded script
};

}  // namespace sim
