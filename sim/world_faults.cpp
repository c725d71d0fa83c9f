// The nemesis: crashes, restarts, pauses, clock drift and network partitions, then the
// heal that starts the liveness phase.
#include <fmt/format.h>

#include <numeric>

#include "sim/world.hpp"

namespace sim {

using raft::NodeId;

void World::crash(NodeId id) {
    Host& h = hosts_[id];
    if (!h.node) return;
    h.node.reset();
    h.incarnation += 1;  // writes in flight and timers of the old process are void
    h.writes.clear();
    h.outbox.clear();
    h.timerGen[0] += 1;
    h.timerGen[1] += 1;
    h.diskBusyUntil = now_;
    h.diskFlushStart = now_;
    h.pausedUntil = 0;
    h.kv = KvStore(options_.workload.keys);
    h.applied = 0;
    const Micros downUs = faultRng_.between(1, options_.faults.faultDurationMaxUs);
    schedule(now_ + downUs, EventKind::Restart, id, 0, h.incarnation);
}

void World::restart(NodeId id) {
    Host& h = hosts_[id];
    if (h.node) return;
    stats_.restarts += 1;
    h.node.emplace(nodeConfig(id), h.disk);
    checker_.afterRestart(*h.node);
    stepNode(id, raft::Start{});
}

void World::strike() {
    if (livenessStartUs_ >= 0) return;
    const FaultConfig& f = options_.faults;
    std::vector<Nemesis> kinds;
    for (int k = 0; k < static_cast<int>(Nemesis::Count_); ++k) {
        if (f.has(static_cast<Nemesis>(k))) kinds.push_back(static_cast<Nemesis>(k));
    }
    const Nemesis kind = kinds[faultRng_.below(kinds.size())];
    const auto n = static_cast<std::uint64_t>(options_.nodes);
    const auto victim = static_cast<NodeId>(faultRng_.below(n));
    const Micros durationUs = faultRng_.between(1, f.faultDurationMaxUs);
    stats_.nemesis[static_cast<int>(kind)] += 1;
    switch (kind) {
        case Nemesis::Crash: crash(victim); break;
        case Nemesis::Pause:
            if (hosts_[victim].node) {
                // Never shortened: what waits for the resume must stay in order.
                hosts_[victim].pausedUntil = std::max(hosts_[victim].pausedUntil, now_ + durationUs);
            }
            break;
        case Nemesis::Drift: {
            const auto spread = static_cast<std::int64_t>(f.driftMaxPercent);
            hosts_[victim].clockPercent = static_cast<int>(100 + faultRng_.between(-spread, spread));
            break;
        }
        case Nemesis::Clog: {
            const auto to = static_cast<NodeId>(faultRng_.below(n));
            network_.clog(victim, to, now_ + durationUs);
            break;
        }
        default:
            partition(kind);
            schedule(now_ + durationUs, EventKind::HealNetwork, 0, 0, networkGen_);
            break;
    }
    const Micros gapUs = faultRng_.between(f.nemesisIntervalUs / 2 + 1, f.nemesisIntervalUs * 3 / 2);
    schedule(now_ + gapUs, EventKind::Nemesis);
}

// One network fault at a time: a new one replaces the last.
void World::partition(Nemesis kind) {
    networkGen_ += 1;
    network_.healAll();
    const int n = options_.nodes;
    std::vector<bool> sideA(static_cast<std::size_t>(n), false);
    switch (kind) {
        case Nemesis::Partition:
            for (int i = 0; i < n; ++i) sideA[i] = faultRng_.below(2) != 0;
            break;
        case Nemesis::IsolateOne: sideA[faultRng_.below(static_cast<std::uint64_t>(n))] = true; break;
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
            const std::uint64_t links = 1 + faultRng_.below(static_cast<std::uint64_t>(n));
            for (std::uint64_t l = 0; l < links; ++l) {
                network_.block(static_cast<NodeId>(faultRng_.below(static_cast<std::uint64_t>(n))),
                               static_cast<NodeId>(faultRng_.below(static_cast<std::uint64_t>(n))));
            }
            return;
        }
        default: return;
    }
    for (NodeId a = 0; a < n; ++a) {
        for (NodeId b = 0; b < n; ++b) {
            if (sideA[a] != sideA[b]) network_.block(a, b);
        }
    }
}

// Faults heal: a connected majority must now elect a leader and commit.
void World::startLiveness() {
    livenessStartUs_ = now_;
    networkGen_ += 1;
    network_.healAll();
    network_.calm();
    for (NodeId id = 0; id < options_.nodes; ++id) {
        hosts_[id].clockPercent = 100;
        restart(id);
    }
}

void World::checkLivenessAtEnd() {
    if (stats_.livenessRecoveryUs >= 0 || options_.livenessPhaseUs == 0) return;
    std::string nodes;
    for (NodeId id = 0; id < options_.nodes; ++id) {
        const raft::Node& n = *hosts_[id].node;
        nodes += fmt::format(" n{}:{}/t{}/commit{}/last{}", id, raft::name(n.role()),
                             n.currentTerm(), n.commitIndex(), n.log().lastIndex());
    }
    checker_.setContext(stats_.events, now_);
    checker_.reportLiveness(fmt::format(
        "no leader committed an entry of its own term within {}ms of the heal;{}",
        options_.livenessPhaseUs / 1000, nodes));
}

}  // namespace sim
