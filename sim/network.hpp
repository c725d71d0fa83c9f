// The network between nodes: latency, loss, duplication, reordering, partitions and
// clogged links. It decides when (if ever) each copy of a message arrives.
#pragma once

#include <array>
#include <cstdint>

#include "core/types.hpp"
#include "sim/choices.hpp"
#include "sim/options.hpp"

namespace sim {

struct NetworkStats {
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;      // by random loss
    std::uint64_t partitioned = 0;  // by a cut link, at send or at arrival
    std::uint64_t duplicated = 0;
    std::uint64_t reordered = 0;
    std::uint64_t clogged = 0;
};

class Network {
public:
    static constexpr int kMaxCopies = 2;

    struct Route {
        int copies = 0;
        std::array<Micros, kMaxCopies> arriveAt{};
    };

    Network(const FaultConfig& faults, Choices rng) : faults_(faults), rng_(rng) {}

    // Decides the fate of a message sent now from `from` to `to`.
    Route route(raft::NodeId from, raft::NodeId to, Micros now);
    // A message arriving over a link cut since it was sent is lost.
    bool deliverable(raft::NodeId from, raft::NodeId to) {
        if (!blocked(from, to)) return true;
        ++stats_.partitioned;
        return false;
    }

    bool blocked(raft::NodeId from, raft::NodeId to) const { return blocked_[from][to]; }
    void block(raft::NodeId from, raft::NodeId to) { blocked_[from][to] = true; }
    void clog(raft::NodeId from, raft::NodeId to, Micros until) { clogUntil_[from][to] = until; }
    void healAll();
    // Random loss, duplication and reordering stop (the liveness phase).
    void calm() {
        faults_.dropPpm = 0;
        faults_.duplicatePpm = 0;
        faults_.reorderPpm = 0;
    }

    const NetworkStats& stats() const { return stats_; }

private:
    Micros arrival(raft::NodeId from, raft::NodeId to, Micros now);

    FaultConfig faults_;
    Choices rng_;
    NetworkStats stats_;
    std::array<std::array<bool, raft::kMaxNodes>, raft::kMaxNodes> blocked_{};
    std::array<std::array<Micros, raft::kMaxNodes>, raft::kMaxNodes> clogUntil_{};
};

}  // namespace sim
