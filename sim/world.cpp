#include "sim/world.hpp"

#include <algorithm>

#include "core/hash.hpp"
#include "sim/recovery.hpp"

namespace sim {

using raft::NodeId;

namespace {

// Component streams: each draws from its own, so one's draws never shift another's.
enum Stream : std::uint64_t { kNetwork = 1, kDisk, kFaults, kClients, kTransfers, kStanding, kMembership, kTimers = 100 };

}  // namespace

World::World(const SimOptions& options, std::uint64_t seed, Tap tap)
    : tap_(prepare(tap, options)),
      options_(options),
      implementation_(options.implementation != nullptr ? *options.implementation
                                                        : coreImplementation()),
      network_(options.faults, stream(seed, kNetwork, kNetworkChoices)),
      // Clients know every host: with membership changes the leader may be a spare one.
      clients_(options.workload, hostCount(options), stream(seed, kClients, kClientChoices),
               readsOf(options) != Reads::Log, sessionsOn(options)),
      checker_(hostCount(options)),
      diskRng_(stream(seed, kDisk, kDiskChoices)),
      faultRng_(Rng(seed).fork(kFaults)),
      standingRng_(Rng(seed).fork(kStanding)),
      transfers_(transfersOn(options)),
      leaseClocks_(readsOf(options) == Reads::Lease),
      transferRng_(transfers_ ? stream(seed, kTransfers, Script::tapeCount(hostCount(options)))
                              : Choices(Rng(seed).fork(kTransfers))),
      membership_(membershipOn(options)),
      membershipRng_(membership_ ? stream(seed, kMembership,
                                          Script::tapeCount(hostCount(options)) + (transfers_ ? 1 : 0))
                                 : Choices(Rng(seed).fork(kMembership))) {
    RAFT_ASSERT(options.nodes >= 1 && options.nodes <= raft::kMaxNodes, "nodes={}", options.nodes);
    clients_.countEvents(&stats_.events);
    snapshotEvery_ = snapshotsOf(options);
    for (int i = 0; i < hostCount(options); ++i) {
        hosts_.push_back(Host{.kv = freshStore()});
        const auto node = static_cast<std::size_t>(i);
        timerRngs_.push_back(stream(seed, kTimers + node, kTimerChoices + node));
    }
    prepareReplay();
    RAFT_ASSERT(options.initialDisks.empty() || options.initialDisks.size() == static_cast<std::size_t>(options.nodes),
                "initialDisks={} nodes={}", options.initialDisks.size(), options.nodes);
    for (NodeId id = 0; id < nodeCount(); ++id) {
        if (!options.initialDisks.empty() && id < options.nodes) hosts_[id].disk = options.initialDisks[id];
        startNode(id);
        checker_.afterStart(*hosts_[id].node, hosts_[id].disk);
        stepNode(id, raft::Start{});
    }
    for (int c = 0; c < clients_.count(); ++c) {
        const Micros think = thinkTime(c);
        if (think >= 0) schedule(think, EventKind::ClientWake, 0, static_cast<std::uint32_t>(c), 0);
    }
    if (tap_.replay != nullptr) {
        if (!tap_.replay->faults.empty()) schedule(tap_.replay->faults[0].timeUs, EventKind::Nemesis);
    } else if (options.faults.nemesisKinds != 0) {
        schedule(options.faults.nemesisIntervalUs, EventKind::Nemesis);
    }
    schedule(options.safetyPhaseUs, EventKind::Liveness);
    schedule(options.safetyPhaseUs + options.livenessPhaseUs, EventKind::End);
    if (transfers_) {
        checker_.setTransferBound(raft::transferTimeoutTicks(nodeConfig(0)) + 1);
        scheduleTransfer();
    }
    if (membership_) {
        checker_.enableMembership();
        scheduleMembership();
    }
}

KvStore World::freshStore() const {
    const SessionRules rules{
        .on = sessionsOn(options_),
        .dedupe = !options_.bugs.has(raft::Bug::SessionNoDedupe),
        .localClockExpiry = options_.bugs.has(raft::Bug::SessionExpiryLocalClock)};
    return KvStore(options_.workload.keys, rules);
}

void World::startNode(NodeId id) {
    Host& h = hosts_[id];
    h.node = implementation_.start(nodeConfig(id), h.disk);
    h.view = h.node->view();
}

raft::Config World::nodeConfig(NodeId id) const {
    return raft::Config{.id = id,
                        .clusterSize = options_.nodes,
                        .joinsCluster = id >= options_.nodes,  // a spare host (--membership)
                        .electionTimeoutMinUs = options_.electionTimeoutMinUs,
                        .electionTimeoutMaxUs = options_.electionTimeoutMaxUs,
                        .heartbeatIntervalUs = options_.heartbeatIntervalUs,
                        .maxEntriesPerAppend = options_.maxEntriesPerAppend,
                        .checkQuorum = options_.checkQuorum,
                        .emptyHeartbeats = options_.emptyHeartbeats,
                        // The bugs live in PreVote: switching one on turns PreVote on.
                        .preVote = options_.preVote ||
                                   options_.bugs.has(raft::Bug::PreVoteCountedAsVote) ||
                                   options_.bugs.has(raft::Bug::PreCandidateKeepsLeader),
                        .followerReads = readsOf(options_) == Reads::Follower,
                        .leaseReads = leaseClocks_,
                        .clockDriftPercent = leaseClocks_ ? leaseDriftBound(options_) : 0,
                        .bugs = options_.bugs};
}

void World::schedule(Micros time, EventKind kind, NodeId node, std::uint32_t ref,
                     std::uint32_t gen) {
    queue_.push(Event{time, nextSeq_++, kind, node, ref, gen});
}

RunResult World::run() {
    while (step()) {
    }
    return finish();
}

// The history is checked once, as the run stands when it ends (a capped run's too: a
// prefix that is not linearizable is a finding). Operations still pending may or may not
// have taken effect. The violation is dated at the run's last event.
RunResult World::finish() {
    RunResult r{checker_.violation(), eventCapReached_, stats(), eventHash(), std::nullopt, standing_};
    if (r.violation || !options_.checkLinearizability) return r;
    r.lin = lin::check(clients_.history());
    if (r.lin->verdict == lin::Verdict::Violated) {
        linViolation_ = Violation{std::string(name(Property::Linearizability)), stats_.events, now_,
                                  lin::describe(*r.lin->witness)};
        r.violation = linViolation_;
    }
    return r;
}

bool World::step() {
    if (ended_ || queue_.empty() || checker_.violation()) return false;
    if (stats_.events >= options_.maxEvents) {
        ended_ = true;
        eventCapReached_ = true;
        return false;
    }
    const Event e = queue_.pop();
    RAFT_ASSERT(e.time >= now_, "event time {} before now {}", e.time, now_);
    now_ = e.time;
    // Paused hosts and timer events are the minority: tested here, before any call.
    if (hosts_[e.node].pausedUntil > now_ && deferForPause(e)) return true;
    if (e.kind == EventKind::Timer && skipTimerBookkeeping(e)) return true;
    stats_.events += 1;
    checker_.setContext(stats_.events, now_);
    eventHash_.add(static_cast<std::uint64_t>(e.time));
    eventHash_.add((static_cast<std::uint64_t>(e.kind) << 56) | (std::uint64_t{e.node} << 48) |
                   (std::uint64_t{e.ref} << 16) | (e.gen & 0xFFFFu));
    // Node steps catch their own assertions (stepNode); one that trips in the world's
    // bookkeeping around them is reported the same way, with its file and line, rather
    // than ending a whole sweep.
    try {
        if (tap_.observer != nullptr) [[unlikely]] {
            observe(e);
        } else {
            dispatch(e);
        }
    } catch (const raft::InvariantFailure& failure) {
        checker_.reportCoreInvariant(failure.what());
    }
    return !ended_ && !checker_.violation();
}

// A paused process handles nothing until it resumes; then all that waited arrives.
// Called for the events of a host paused now.
bool World::deferForPause(const Event& e) {
    Host& h = hosts_[e.node];
    const bool nodeEvent = e.kind == EventKind::Deliver || e.kind == EventKind::Timer ||
                           e.kind == EventKind::DiskDone || e.kind == EventKind::ClientArrive;
    if (!nodeEvent) return false;
    schedule(h.pausedUntil, e.kind, e.node, e.ref, e.gen);
    if (e.kind == EventKind::Timer && e.gen == h.timerGen[e.ref]) h.timerQueuedAt[e.ref] = h.pausedUntil;
    return true;
}

// A timer event that is stale (cancelled, or its process crashed) or early (the timer
// was re-armed later since) is bookkeeping, not a simulated event: it is dropped or
// re-queued at the deadline without being counted. Called for timer events.
bool World::skipTimerBookkeeping(const Event& e) {
    Host& h = hosts_[e.node];
    if (!h.node || e.gen != h.timerGen[e.ref]) return true;
    const Micros deadline = h.timerDeadline[e.ref];
    if (deadline < 0) {
        h.timerQueuedAt[e.ref] = -1;
        return true;
    }
    if (deadline <= now_) return false;
    schedule(deadline, EventKind::Timer, e.node, e.ref, e.gen);
    h.timerQueuedAt[e.ref] = deadline;
    return true;
}

void World::disarmTimers(Host& h) {
    for (int slot = 0; slot < 2; ++slot) {
        h.timerGen[slot] += 1;
        h.timerDeadline[slot] = -1;
        h.timerQueuedAt[slot] = -1;
    }
}

void World::dispatch(const Event& e) {
    Host& h = hosts_[e.node];
    switch (e.kind) {
        case EventKind::Deliver: deliver(e.node, e.ref); break;
        case EventKind::Timer:
            if (h.node && e.gen == h.timerGen[e.ref]) {
                h.timerDeadline[e.ref] = -1;
                h.timerQueuedAt[e.ref] = -1;
                const auto timer = static_cast<raft::Timer>(e.ref);
                if (timer == raft::Timer::Election) stats_.timeouts += 1;
                stepNode(e.node, raft::Timeout{timer, localClock(e.node)});
                if (transfers_ && timer == raft::Timer::Heartbeat && hosts_[e.node].node) {
                    checker_.afterHeartbeat(hosts_[e.node].view);
                }
                if (membership_ && timer == raft::Timer::Heartbeat) [[unlikely]] {
                    afterHeartbeatMembership(e.node);
                }
            }
            break;
        case EventKind::DiskDone:
            if (h.node && e.gen == h.incarnation) onDiskDone(e.node, e.ref);
            break;
        case EventKind::ClientWake: clientWake(static_cast<int>(e.ref), e.gen); break;
        case EventKind::ClientArrive: clientArrive(e.node, static_cast<int>(e.ref), e.gen); break;
        case EventKind::Nemesis: strike(); break;
        case EventKind::HealNetwork:
            if (e.gen == networkGen_) network_.healAll();
            break;
        case EventKind::Restart:
            if (e.gen == h.incarnation && livenessStartUs_ < 0) restart(e.node);
            break;
        case EventKind::Liveness: startLiveness(); break;
        case EventKind::End:
            checkLivenessAtEnd();
            ended_ = true;
            break;
        case EventKind::Transfer: transferLeadership(); break;
        case EventKind::Membership: changeMembership(); break;
    }
}

// ---- leadership transfers (thesis §3.10) ----

// The operator asks the node it takes for the leader (the one that leads the highest
// term, or any node when none leads) to hand its leadership to a node it names, or with
// kNoNode to the most up-to-date follower. The target may be crashed or cut off, or the
// leader itself: the node must cope. The operator stops when the faults do.
void World::transferLeadership() {
    lastTransferNode_ = lastTransferTarget_ = raft::kNoNode;
    if (livenessStartUs_ >= 0) return;
    const auto n = static_cast<std::uint64_t>(options_.nodes);
    const std::uint64_t pick = transferRng_.below(n + 1);
    lastTransferTarget_ = pick == n ? raft::kNoNode : static_cast<NodeId>(pick);
    lastTransferNode_ = operatorLeader();
    Host& h = hosts_[lastTransferNode_];
    if (h.node && h.pausedUntil <= now_) {
        stats_.transfersAsked += 1;
        stepNode(lastTransferNode_, raft::TransferLeadership{lastTransferTarget_});
    }
    scheduleTransfer();
}

NodeId World::operatorLeader() {
    NodeId best = raft::kNoNode;
    for (NodeId id = 0; id < nodeCount(); ++id) {
        const Host& h = hosts_[id];
        if (!h.node || h.view.role != raft::Role::Leader) continue;
        if (best == raft::kNoNode || h.view.currentTerm > hosts_[best].view.currentTerm) best = id;
    }
    if (best != raft::kNoNode) return best;
    return static_cast<NodeId>(transferRng_.below(static_cast<std::uint64_t>(nodeCount())));
}

void World::scheduleTransfer() {
    schedule(now_ + transferRng_.between(100'000, 1'000'000), EventKind::Transfer);
}

void World::inject(NodeId id, const raft::Input& input) {
    RAFT_ASSERT(hosts_[id].node != nullptr, "node {} is down", id);
    stepNode(id, input);
}

void World::setLink(NodeId from, NodeId to, bool up) {
    if (up) {
        network_.healAll();  // links are healed together; callers re-block the rest
    } else {
        network_.block(from, to);
    }
}

const RunStats& World::stats() {
    stats_.network = network_.stats();
    stats_.endUs = now_;
    stats_.clientOk = stats_.clientFail = stats_.clientInfo = 0;
    const SessionCounts& sessions = clients_.sessionCounts();
    stats_.sessionsRegistered = sessions.registered;
    stats_.sessionRetries = sessions.retried;
    stats_.sessionDuplicates = sessions.duplicates;
    stats_.sessionsExpired = sessions.expired;
    for (const Operation& op : clients_.history()) {
        stats_.clientOk += op.outcome == Outcome::Ok;
        stats_.clientFail += op.outcome == Outcome::Fail;
        stats_.clientInfo += op.outcome == Outcome::Info;
    }
    return stats_;
}

// ---- nodes ----

// An assertion that trips while a node steps or while its actions are carried out is a
// finding (Property::CoreInvariant), and the run stops there like after any violation. The try
// costs nothing while nothing throws.
void World::stepNode(NodeId id, const raft::Input& input) {
    try {
        stepNodeUnguarded(id, input);
    } catch (const raft::InvariantFailure& failure) {
        checker_.reportCoreInvariant(failure.what());
    }
}

void World::stepNodeUnguarded(NodeId id, const raft::Input& input) {
    Host& h = hosts_[id];
    const NodeView before = h.view;
    steps_ += 1;
    actions_.clear();
    h.node->step(input, actions_);
    h.view = h.node->view();
    checker_.afterStep(before, h.view, *h.node, actions_);
    if (checker_.violation()) return;  // the run stops here; nothing more leaves the node
    observeLeader(before, h.view, *h.node);
    if (standing_) [[unlikely]] {
        observeStanding(id, before, h.view);
        if (checker_.violation()) return;
    }
    // Executing steps no node (other nodes step only through new events), so the action
    // list stays as it is while we walk it.
    for (raft::Action& action : actions_) execute(id, std::move(action));
    if (snapshotEvery_ != 0) [[unlikely]] takeDueSnapshot(id);
}

void World::observeLeader(const NodeView& before, const NodeView& after,
                          const NodeUnderTest& node) {
    stats_.maxTerm = std::max<std::uint64_t>(stats_.maxTerm, after.currentTerm);
    stats_.entriesCommitted = std::max<std::uint64_t>(stats_.entriesCommitted, after.commitIndex);
    const bool recovering = livenessStartUs_ >= 0 && stats_.livenessRecoveryUs < 0;
    // An election starts a term: a node that moves to a higher term as candidate (or as
    // leader at once, when it is a quorum alone).
    if (recovering && after.currentTerm > before.currentTerm &&
        (after.role == raft::Role::Candidate || after.role == raft::Role::Leader)) {
        stats_.livenessElections += 1;
    }
    if (after.role != raft::Role::Leader) return;
    if (before.role != raft::Role::Leader || before.currentTerm != after.currentTerm) {
        stats_.leadersElected += 1;
        if (after.id != lastLeader_) stats_.leaderChanges += 1;
        lastLeader_ = after.id;
        if (after.id < transferCampaign_.size() && transferCampaign_[after.id] == after.currentTerm) {
            stats_.transfersCompleted += 1;
        }
    }
    if (recovering && after.commitIndex > before.commitIndex &&
        node.entries(after.commitIndex, after.commitIndex)[0].term == after.currentTerm) {
        stats_.livenessRecoveryUs = now_ - livenessStartUs_;
        stats_.livenessRecoveryMilliTimeouts =
            milliTimeouts(std::max<Micros>(0, now_ - faultsEndedUs_), options_.electionTimeoutMinUs);
    }
}

// Writes go to the disk; what follows a write waits until it is durable (§3.8).
void World::execute(NodeId id, raft::Action&& action) {
    Host& h = hosts_[id];
    if (std::holds_alternative<raft::PersistHardState>(action) ||
        std::holds_alternative<raft::PersistEntries>(action) ||
        std::holds_alternative<raft::PersistSnapshot>(action)) {
        persist(id, std::move(action));
    } else if (const auto* arm = std::get_if<raft::ArmTimer>(&action)) {
        armTimer(id, *arm);
    } else if (const auto* cancel = std::get_if<raft::CancelTimer>(&action)) {
        const int slot = static_cast<int>(cancel->timer);
        h.timerGen[slot] += 1;
        h.timerDeadline[slot] = -1;
        h.timerQueuedAt[slot] = -1;
    } else {
        if (leaseClocks_) [[unlikely]] checkLeaseRead(id, action);
        if (!h.writes.empty()) {
            defer(h, std::move(action));
        } else {
            perform(id, std::move(action));
        }
    }
}

// A read on a lease is judged when the leader decides it (thesis §6.4.1): that is its
// linearization point, though the answer may wait for earlier writes and applies.
void World::checkLeaseRead(NodeId id, const raft::Action& action) {
    const auto* q = std::get_if<raft::ReadReply>(&action);
    if (q == nullptr || !q->onLease) return;
    stats_.readsOnLease += 1;
    checker_.onLeaseRead(id, hosts_[id].view.currentTerm, q->index);
}

// Holds an action until the last write in flight is durable.
void World::defer(Host& h, raft::Action&& action) {
    Deferred& d = h.outbox.emplace_back(Deferred{h.writes.back().id, std::move(action)});
    if (const auto* a = std::get_if<raft::Apply>(&d.action)) {
        const std::span<const raft::Entry> entries = h.node->entries(a->firstIndex, a->lastIndex);
        d.applied.assign(entries.begin(), entries.end());
    }
}

void World::persist(NodeId id, raft::Action&& action) {
    Host& h = hosts_[id];
    const std::uint32_t writeId = ++h.nextWriteId;
    // Group commit: a write issued while the last one has not started yet joins it.
    if (h.writes.empty() || h.diskFlushStart <= now_) {
        h.diskFlushStart = std::max(now_, h.diskBusyUntil);
        h.diskBusyUntil = h.diskFlushStart + diskRng_.between(options_.faults.diskLatencyMinUs,
                                                              options_.faults.diskLatencyMaxUs);
    }
    if (auto* hard = std::get_if<raft::PersistHardState>(&action)) {
        h.writes.emplace_back(PendingWrite{writeId, *hard});
    } else if (auto* snap = std::get_if<raft::PersistSnapshot>(&action)) [[unlikely]] {
        const SavedState* saved = snapshots_.find(snap->snapshot.handle);
        if (saved != nullptr && saved->takenBy != id) {
            stats_.snapshotsInstalled += 1;
            eventSnapshotInstalled_ = snap->snapshot.meta.lastIncludedIndex;
        }
        h.writes.emplace_back(PendingWrite{writeId, *snap});
    } else {
        h.writes.emplace_back(PendingWrite{writeId, std::move(std::get<raft::PersistEntries>(action))});
    }
    schedule(h.diskBusyUntil, EventKind::DiskDone, id, writeId, h.incarnation);
}

void World::onDiskDone(NodeId id, std::uint32_t writeId) {
    Host& h = hosts_[id];
    RAFT_ASSERT(!h.writes.empty() && h.writes.front().id == writeId,
                "node {} disk completed write {} out of order (front {})", id, writeId,
                h.writes.empty() ? 0 : h.writes.front().id);
    const PendingWrite& w = h.writes.front();
    if (const auto* hard = std::get_if<raft::PersistHardState>(&w.write)) {
        h.disk.currentTerm = hard->currentTerm;
        h.disk.votedFor = hard->votedFor;
    } else if (const auto* snap = std::get_if<raft::PersistSnapshot>(&w.write)) [[unlikely]] {
        persistSnapshot(h, *snap);
    } else {
        const auto& entries = std::get<raft::PersistEntries>(w.write);
        h.disk.log.resize(entries.firstIndex - 1 - h.disk.snapshot.meta.lastIncludedIndex);
        h.disk.log.insert(h.disk.log.end(), entries.entries.begin(), entries.entries.end());
    }
    h.writes.pop_front();
    // Sends, applies and replies never add to the outbox, so it stays put while they run.
    std::size_t released = 0;
    while (released < h.outbox.size() && h.outbox[released].afterWrite <= writeId) {
        Deferred& d = h.outbox[released];
        if (const auto* a = std::get_if<raft::Apply>(&d.action)) {
            apply(id, a->firstIndex, d.applied);
        } else {
            perform(id, std::move(d.action));
        }
        ++released;
    }
    h.outbox.erase(h.outbox.begin(), h.outbox.begin() + static_cast<std::ptrdiff_t>(released));
    checker_.afterDiskWrite(h.view, *h.node, h.disk, h.writes.empty());
    if (checker_.violation()) return;
    // The node hears what is durable now: it counts itself in a quorum only for that.
    const raft::Term lastTerm = h.disk.log.empty() ? h.disk.snapshot.meta.lastIncludedTerm : h.disk.log.back().term;
    stepNode(id, raft::Persisted{h.disk.currentTerm,
                                 h.disk.snapshot.meta.lastIncludedIndex + h.disk.log.size(), lastTerm});
}

void World::armTimer(NodeId id, const raft::ArmTimer& arm) {
    Host& h = hosts_[id];
    const int slot = static_cast<int>(arm.timer);
    const Micros drawn = timerRngs_[id].between(arm.minUs, arm.maxUs);
    const Micros deadline = now_ + std::max<Micros>(1, drawn * 100 / h.clockPercent);
    h.timerDeadline[slot] = deadline;
    if (h.timerQueuedAt[slot] >= 0 && h.timerQueuedAt[slot] <= deadline) return;  // it re-queues
    h.timerGen[slot] += 1;
    h.timerQueuedAt[slot] = deadline;
    schedule(deadline, EventKind::Timer, id, static_cast<std::uint32_t>(slot), h.timerGen[slot]);
}

// Each node's clock runs at its clockPercent of real time (drift), and on through pauses
// and restarts: a monotonic clock of the machine.
Micros World::localClock(NodeId id) const {
    if (!leaseClocks_) return 0;
    const Host& h = hosts_[id];
    return (h.clockAt100 + (now_ - h.clockSetAtUs) * h.clockPercent) / 100;
}

void World::setClockPercent(Host& h, int percent) {
    h.clockAt100 += (now_ - h.clockSetAtUs) * h.clockPercent;
    h.clockSetAtUs = now_;
    h.clockPercent = percent;
}

void World::perform(NodeId id, raft::Action&& action) {
    if (auto* s = std::get_if<raft::Send>(&action)) {
        send(std::move(s->message));
    } else if (const auto* a = std::get_if<raft::Apply>(&action)) {
        apply(id, a->firstIndex, hosts_[id].node->entries(a->firstIndex, a->lastIndex));
    } else if (const auto* restore = std::get_if<raft::RestoreSnapshot>(&action)) [[unlikely]] {
        restoreSnapshot(id, restore->snapshot);
    } else if (const auto* t = std::get_if<raft::TransferReply>(&action)) {
        stats_.transfersAccepted += t->accepted ? 1 : 0;
    } else if (const auto* c = std::get_if<raft::ChangeReply>(&action)) {
        onChangeReply(*c);
    } else if (const auto* r = std::get_if<raft::ProposeReply>(&action)) {
        if (auto retry = clients_.onReply(id, *r)) resend(*retry, r->leaderHint);
    } else if (const auto* q = std::get_if<raft::ReadReply>(&action)) {
        stats_.readsServed += q->accepted ? 1 : 0;
        if (auto retry = clients_.onReadReply(id, *q, hosts_[id].kv, now_)) {
            resend(*retry, q->leaderHint);
        } else if (q->accepted) {
            scheduleFinishedClients();
        }
    }
}

// A refused request goes again: soon to the node hinted at, later when there is no hint.
void World::resend(const ClientRequest& request, NodeId hint) {
    sendRequest(request, hint != raft::kNoNode ? clients_.latency() : 10'000 + clients_.latency() * 10);
}

void World::send(raft::Message&& m) {
    if (m.kind == raft::MsgKind::RequestVoteResponse && m.success) {
        checker_.onVoteSent(m.from, m.term, m.to);
    }
    checker_.onReplySent(m, hosts_[m.from].disk);
    const Network::Route route = network_.route(m.from, m.to, now_);
    for (int copy = 0; copy < route.copies; ++copy) {
        std::uint32_t slot;
        if (freeSlots_.empty()) {
            slot = static_cast<std::uint32_t>(messages_.size());
            messages_.emplace_back(std::in_place_type<raft::Receive>);
        } else {
            slot = freeSlots_.back();
            freeSlots_.pop_back();
        }
        if (copy + 1 < route.copies) {
            message(slot) = m;  // a duplicate; the last copy takes the original
        } else {
            message(slot) = std::move(m);
        }
        if (tap_.observer != nullptr) [[unlikely]] {
            sentEvent_.resize(messages_.size());
            sentEvent_[slot] = stats_.events;
        }
        schedule(route.arriveAt[copy], EventKind::Deliver, message(slot).to, slot);
    }
}

void World::deliver(NodeId to, std::uint32_t slot) {
    // Freed first, so that the step's first send reuses the slot. The node reads the
    // message where it lies: its sends reach the world only after its step is done.
    freeSlots_.push_back(slot);
    const raft::Message& m = message(slot);
    if (!hosts_[to].node || !network_.deliverable(m.from, to)) return;
    const raft::Term term = m.term;
    // Read now: the step may reuse the slot.
    const bool bindsTerm = raft::bindsTerm(m) &&
                           !(term > hosts_[to].view.currentTerm &&
                             (implementation_.mayDisregardTerm(m, hosts_[to].view) ||
                              (membership_ && voteFromNonVoter(to, m))));
    eventHash_.add((static_cast<std::uint64_t>(m.kind) << 56) | term);
    if (m.kind == raft::MsgKind::TimeoutNow) [[unlikely]] {
        const NodeId from = m.from;
        const raft::Term termBefore = hosts_[to].view.currentTerm;
        stepNode(to, messages_[slot]);
        if (!hosts_[to].node) return;
        if (hosts_[to].view.currentTerm > termBefore) {
            transferCampaign_.resize(hosts_.size(), 0);
            transferCampaign_[to] = hosts_[to].view.currentTerm;
        }
        checker_.afterTimeoutNow(from, term, termBefore, hosts_[to].view);
        if (bindsTerm) checker_.afterReceive(term, hosts_[to].view);
        return;
    }
    stepNode(to, messages_[slot]);
    if (bindsTerm) checker_.afterReceive(term, hosts_[to].view);
}

void World::apply(NodeId id, raft::Index firstIndex, std::span<const raft::Entry> entries) {
    Host& h = hosts_[id];
    if (firstIndex != h.applied + 1) {
        checker_.reportApplyOrder(id, firstIndex, h.applied);
        return;
    }
    for (const raft::Entry& entry : entries) {
        h.applied += 1;
        const Answer answer = h.kv.apply(entry, h.applied, now_);
        if (entry.clientId != 0) clients_.onApplied(id, h.applied, entry, answer, now_);
        if (snapshotEvery_ != 0) [[unlikely]] checker_.onState(id, h.applied, applyHash(h), "applied");
    }
    if (!clients_.outgoing().empty()) [[unlikely]] {
        for (const ClientRequest& request : clients_.outgoing()) {
            sendRequest(request, clients_.latency(request.client));
        }
        clients_.outgoing().clear();
    }
    scheduleFinishedClients();
}

// ---- clients ----

void World::clientWake(int c, std::uint32_t gen) {
    if (gen != clients_.generation(c)) return;  // the operation ended already
    if (clients_.waiting(c)) {
        if (const auto retry = clients_.timeout(c, now_)) {  // sessions: the same request again
            sendRequest(*retry, clients_.latency());
            schedule(now_ + options_.workload.requestTimeoutUs, EventKind::ClientWake, 0,
                     static_cast<std::uint32_t>(c), clients_.generation(c));
        }
        scheduleFinishedClients();
        return;
    }
    if (livenessStartUs_ >= 0 && now_ >= options_.safetyPhaseUs + options_.livenessPhaseUs) return;
    const ClientRequest request = clients_.start(c, now_, nextCommand(c));
    sendRequest(request, clients_.latency());
    schedule(now_ + options_.workload.requestTimeoutUs, EventKind::ClientWake, 0,
             static_cast<std::uint32_t>(c), clients_.generation(c));
}

void World::sendRequest(const ClientRequest& request, Micros delay) {
    schedule(now_ + delay, EventKind::ClientArrive, request.node,
             static_cast<std::uint32_t>(request.client), clients_.generation(request.client));
}

void World::clientArrive(NodeId id, int c, std::uint32_t gen) {
    if (gen != clients_.generation(c) || !clients_.waiting(c) || !hosts_[id].node) return;
    if (clients_.waitsOnRead(c)) [[unlikely]] {
        const raft::Entry& e = clients_.pendingEntry(c);
        stepNode(id, raft::Read{e.clientId, e.seq, localClock(id)});
        return;
    }
    stepNode(id, raft::Propose{clients_.pendingEntry(c)});
}

// Clients whose operation just ended think, then start the next one.
void World::scheduleFinishedClients() {
    clientGensSeen_.resize(static_cast<std::size_t>(clients_.count()), 0);
    for (int c = 0; c < clients_.count(); ++c) {
        if (clients_.waiting(c) || clientGensSeen_[c] == clients_.generation(c)) continue;
        clientGensSeen_[c] = clients_.generation(c);
        const Micros think = thinkTime(c);
        if (think < 0) continue;  // a replayed client with no requests left stays idle
        schedule(now_ + think, EventKind::ClientWake, 0, static_cast<std::uint32_t>(c),
                 clients_.generation(c));
    }
}

}  // namespace sim
