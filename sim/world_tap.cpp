// Tapping a world: recording its script and events, or following a recorded script
// instead of the seed. None of this runs in a plain run beyond a pointer test.
#include "sim/world.hpp"

namespace sim {

using raft::NodeId;

namespace {

// A draw whose outcome the script records in its schedule, so not on the tape too.
template <typename Draw>
auto unrecorded(Choices& choices, Draw draw) {
    ChoiceTape* tape = choices.swapRecord(nullptr);
    auto value = draw();
    choices.swapRecord(tape);
    return value;
}

}  // namespace

Tap World::prepare(Tap tap, const SimOptions& options) {
    RAFT_ASSERT(tap.record == nullptr || tap.record != tap.replay, "record and replay alias");
    if (tap.record != nullptr) {
        *tap.record = Script{};
        // Sized once, before any stream points into it. The operator's transfers have a
        // tape of their own after the timers', only in runs with transfers.
        // Membership changes add the spare hosts' timers, and a tape after the transfers'.
        tap.record->tapes.resize(Script::tapeCount(hostCount(options)) + (transfersOn(options) ? 1 : 0) +
                                 (membershipOn(options) ? 1 : 0));
    }
    return tap;
}

Choices World::stream(std::uint64_t seed, std::uint64_t id, std::size_t tape) const {
    Choices choices(Rng(seed).fork(id));
    ChoiceTape* out = tap_.record != nullptr ? &tap_.record->tapes[tape] : nullptr;
    if (tap_.replay != nullptr) {
        static const ChoiceTape kEmpty;
        const std::vector<ChoiceTape>& tapes = tap_.replay->tapes;
        choices.replay(tape < tapes.size() ? &tapes[tape] : &kEmpty, out);
    } else if (out != nullptr) {
        choices.record(out);
    }
    return choices;
}

void World::prepareReplay() {
    const auto clients = static_cast<std::size_t>(clients_.count());
    clientQueue_.assign(clients, {});
    replayStep_.assign(clients, 0);
    recordStep_.assign(clients, 0);
    if (tap_.replay == nullptr) return;
    const std::vector<ClientStep>& requests = tap_.replay->requests;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto c = static_cast<std::size_t>(requests[i].client);
        if (c < clients) clientQueue_[c].push_back(i);
    }
}

Micros World::thinkTime(int c) {
    if (tap_.record == nullptr && tap_.replay == nullptr) return clients_.thinkTime();
    Micros think = 0;
    if (tap_.replay != nullptr) {
        std::deque<std::size_t>& queue = clientQueue_[c];
        if (queue.empty()) return -1;
        replayStep_[c] = queue.front();
        queue.pop_front();
        think = std::max<Micros>(1, tap_.replay->requests[replayStep_[c]].thinkUs);
    } else {
        think = unrecorded(clients_.choices(), [this] { return clients_.thinkTime(); });
    }
    if (tap_.record != nullptr) {
        recordStep_[c] = tap_.record->requests.size();
        tap_.record->requests.push_back(ClientStep{.client = c, .thinkUs = think});
    }
    return think;
}

KvCommand World::nextCommand(int c) {
    if (tap_.record == nullptr && tap_.replay == nullptr) return clients_.randomCommand();
    KvCommand command;
    if (tap_.replay != nullptr) {
        const ClientStep& step = tap_.replay->requests[replayStep_[c]];
        if (step.invoked) command = step.command;
    } else {
        command = unrecorded(clients_.choices(), [this] { return clients_.randomCommand(); });
    }
    if (tap_.record != nullptr) {
        ClientStep& step = tap_.record->requests[recordStep_[c]];
        step.invoked = true;
        step.command = command;
    }
    return command;
}

namespace {

bool isNodeEvent(EventKind kind) {
    return kind == EventKind::Deliver || kind == EventKind::Timer || kind == EventKind::DiskDone ||
           kind == EventKind::ClientArrive || kind == EventKind::Restart;
}

}  // namespace

// Dispatches `e` and tells the observer what it did.
void World::observe(const Event& e) {
    EventRecord r{.index = stats_.events, .timeUs = now_, .kind = e.kind};
    if (isNodeEvent(e.kind)) r.node = e.node;
    if (e.kind == EventKind::Timer || e.kind == EventKind::ClientWake ||
        e.kind == EventKind::ClientArrive) {
        r.ref = e.ref;
    }
    if (e.kind == EventKind::Deliver) {
        const raft::Message& m = message(e.ref);
        r.msgKind = m.kind;
        r.from = m.from;
        r.msgTerm = m.term;
        r.sentEvent = e.ref < sentEvent_.size() ? sentEvent_[e.ref] : 0;
        lastDelivered_ = m;  // copied: delivering frees the slot for the step's sends
    }
    const std::uint64_t stepsBefore = steps_;
    eventSnapshotTaken_ = eventSnapshotInstalled_ = 0;
    dispatch(e);
    r.stepped = steps_ != stepsBefore;
    r.snapshotTaken = eventSnapshotTaken_;
    r.snapshotInstalled = eventSnapshotInstalled_;
    if (e.kind == EventKind::Nemesis) {
        r.fault = lastStrike_.kind;
        if (r.fault != Nemesis::Count_) r.node = lastStrike_.node;
    }
    if (e.kind == EventKind::Transfer) {
        r.node = lastTransferNode_;
        r.ref = lastTransferTarget_;
    }
    if (e.kind == EventKind::Membership) {
        r.node = lastChangeNode_;
        r.ref = lastChange_;
    }
    if (r.node != raft::kNoNode && hosts_[r.node].node) {
        const NodeView& n = hosts_[r.node].view;
        r.up = true;
        r.role = n.role;
        r.term = n.currentTerm;
        r.commitIndex = n.commitIndex;
        r.lastIndex = n.lastIndex;
    }
    tap_.observer->onEvent(r);
}

}  // namespace sim
