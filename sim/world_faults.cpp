// The nemesis: crashes, restarts, pauses, clock drift and network partitions, then the
// heal that starts the liveness phase.
#include <fmt/format.h>

#include <numeric>

#include "sim/world.hpp"

namespace sim {

using raft::NodeId;

void World::crash(NodeId id, Micros downUs) {
    Host& h = hosts_[id];
    if (!h.node) return;
    h.node.reset();
    h.incarnation += 1;  // writes in flight and timers of the old process are void
    h.writes.clear();
    h.outbox.clear();
    disarmTimers(h);
    h.diskBusyUntil = now_;
    h.diskFlushStart = now_;
    h.pausedUntil = 0;
    h.kv = freshStore();
    h.applied = 0;
    h.snapshotAt = 0;
    schedule(now_ + downUs, EventKind::Restart, id, 0, h.incarnation);
}

void World::restart(NodeId id) {
    Host& h = hosts_[id];
    if (h.node) return;
    stats_.restarts += 1;
    startNode(id);
    checker_.afterRestart(*h.node, h.disk.snapshot.meta.lastIncludedIndex);
    stepNode(id, raft::Start{});
}

// The nemesis wakes: it draws a strike (or takes the script's next one), carries it
// out, and sleeps until the next.
void World::strike() {
    const std::vector<FaultStrike>* script = tap_.replay != nullptr ? &tap_.replay->faults : nullptr;
    const bool healed = livenessStartUs_ >= 0;
    if (healed || script != nullptr) {
        lastStrike_ = script != nullptr && nextStrike_ < script->size() ? (*script)[nextStrike_++]
                                                                        : FaultStrike{};
        lastStrike_.timeUs = now_;
        if (healed) lastStrike_ = FaultStrike{.timeUs = now_};
    } else {
        lastStrike_ = drawStrike();
    }
    if (tap_.record != nullptr) tap_.record->faults.push_back(lastStrike_);
    if (healed) return;
    applyStrike(lastStrike_);
    if (script == nullptr) {
        const FaultConfig& f = options_.faults;
        const Micros gapUs = faultRng_.between(f.nemesisIntervalUs / 2 + 1, f.nemesisIntervalUs * 3 / 2);
        schedule(now_ + gapUs, EventKind::Nemesis);
    } else if (nextStrike_ < script->size()) {
        schedule(std::max(now_, (*script)[nextStrike_].timeUs), EventKind::Nemesis);
    }
}

FaultStrike World::drawStrike() {
    const FaultConfig& f = options_.faults;
    std::vector<Nemesis> kinds;
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) {
        if (f.has(static_cast<Nemesis>(k))) kinds.push_back(static_cast<Nemesis>(k));
    }
    FaultStrike s{.timeUs = now_};
    s.kind = kinds[faultRng_.below(kinds.size())];
    const auto n = static_cast<std::uint64_t>(nodeCount());  // spare hosts too (--membership)
    s.node = static_cast<NodeId>(faultRng_.below(n));
    s.durationUs = faultRng_.between(1, f.faultDurationMaxUs);
    switch (s.kind) {
        case Nemesis::Crash:
            s.durationUs = hosts_[s.node].node ? faultRng_.between(1, f.faultDurationMaxUs) : 0;
            break;
        case Nemesis::Pause: break;
        case Nemesis::Drift: {
            const auto spread = static_cast<std::int64_t>(f.driftMaxPercent);
            s.clockPercent = static_cast<std::int32_t>(100 + faultRng_.between(-spread, spread));
            break;
        }
        case Nemesis::Clog: s.peer = static_cast<NodeId>(faultRng_.below(n)); break;
        default: drawCuts(s); break;
    }
    return s;
}

// The links a network fault cuts. One network fault at a time: a new one replaces the last.
void World::drawCuts(FaultStrike& s) {
    const int n = nodeCount();
    const auto un = static_cast<std::uint64_t>(n);
    std::vector<bool> sideA(static_cast<std::size_t>(n), false);
    switch (s.kind) {
        case Nemesis::Partition:
            for (int i = 0; i < n; ++i) sideA[i] = faultRng_.below(2) != 0;
            break;
        case Nemesis::IsolateOne: sideA[faultRng_.below(un)] = true; break;
        case Nemesis::MajorityMinority: {
            std::vector<int> order(static_cast<std::size_t>(n));
            std::iota(order.begin(), order.end(), 0);
            for (int i = n - 1; i > 0; --i) {
                std::swap(order[i], order[faultRng_.below(static_cast<std::uint64_t>(i) + 1)]);
            }
            for (int i = 0; i < n / 2 + 1; ++i) sideA[order[i]] = true;
            break;
        }
        case Nemesis::OneWay: {
            const std::uint64_t links = 1 + faultRng_.below(un);
            for (std::uint64_t l = 0; l < links; ++l) {
                // The receiver is drawn first: the order GCC gave the unsequenced
                // arguments of the earlier block(below(n), below(n)), kept so runs stay.
                const auto to = static_cast<NodeId>(faultRng_.below(un));
                s.cuts.push_back({static_cast<NodeId>(faultRng_.below(un)), to});
            }
            return;
        }
        default: return;
    }
    for (NodeId a = 0; a < n; ++a) {
        for (NodeId b = 0; b < n; ++b) {
            if (sideA[a] != sideA[b]) s.cuts.push_back({a, b});
        }
    }
}

void World::applyStrike(const FaultStrike& s) {
    RAFT_ASSERT(s.node < nodeCount() && s.peer < nodeCount(), "fault victim {} peer {} of {} hosts",
                s.node, s.peer, nodeCount());
    if (s.kind == Nemesis::Count_) return;
    stats_.nemesis[static_cast<int>(s.kind)] += 1;
    Host& victim = hosts_[s.node];
    switch (s.kind) {
        case Nemesis::Crash: crash(s.node, std::max<Micros>(1, s.durationUs)); break;
        case Nemesis::Pause:
            // Never shortened: what waits for the resume must stay in order.
            if (victim.node) victim.pausedUntil = std::max(victim.pausedUntil, now_ + s.durationUs);
            break;
        case Nemesis::Drift: setClockPercent(victim, std::max(1, s.clockPercent)); break;
        case Nemesis::Clog: network_.clog(s.node, s.peer, now_ + s.durationUs); break;
        default:
            networkGen_ += 1;
            network_.healAll();
            for (const auto& [from, to] : s.cuts) network_.block(from, to);
            schedule(now_ + s.durationUs, EventKind::HealNetwork, 0, 0, networkGen_);
            break;
    }
}

// Faults heal: a connected majority must now elect a leader and commit.
void World::startLiveness() {
    livenessStartUs_ = now_;
    networkGen_ += 1;
    network_.healAll();
    network_.calm();
    for (NodeId id = 0; id < nodeCount(); ++id) {
        setClockPercent(hosts_[id], 100);
        restart(id);
    }
    faultsEndedUs_ = now_;
    for (const Host& h : hosts_) faultsEndedUs_ = std::max(faultsEndedUs_, h.pausedUntil);
    if (options_.standingFault && options_.livenessPhaseUs > 0) startStanding();
}

void World::checkLivenessAtEnd() {
    if (options_.livenessPhaseUs == 0) return;
    checker_.setContext(stats_.events, now_);
    if (standing_ && standingLed_ == 0) {
        endStandingGap(/*stillStalled=*/true);
        if (checker_.violation()) return;
    }
    if (stats_.livenessRecoveryUs >= 0) return;
    checker_.reportLiveness(findings::noProgressAfterHeal(options_.livenessPhaseUs, nodeStates()));
}

std::string World::nodeStates() const {
    std::string nodes;
    for (NodeId id = 0; id < nodeCount(); ++id) {
        const NodeView& n = hosts_[id].view;
        nodes += fmt::format(" n{}:{}{}/t{}/commit{}/last{}", id, hosts_[id].node ? "" : "down:",
                             raft::name(n.role), n.currentTerm, n.commitIndex, n.lastIndex);
        const raft::Node* core = membership_ ? node(id) : nullptr;
        if (core != nullptr) {  // configurations differ while changes propagate (thesis §4.1)
            nodes += "/voters" + findings::idSet(core->membership().voters);
            if (core->membership().learners != 0) nodes += "+learners" + findings::idSet(core->membership().learners);
        }
    }
    return nodes;
}

}  // namespace sim
