#include "sim/network.hpp"

#include <algorithm>

namespace sim {

Network::Route Network::route(raft::NodeId from, raft::NodeId to, Micros now) {
    ++stats_.sent;
    Route r;
    if (blocked_[from][to]) {
        ++stats_.partitioned;
        return r;
    }
    if (rng_.chance(faults_.dropPpm)) {
        ++stats_.dropped;
        return r;
    }
    r.arriveAt[r.copies++] = arrival(from, to, now);
    if (rng_.chance(faults_.duplicatePpm)) {
        ++stats_.duplicated;
        r.arriveAt[r.copies++] = arrival(from, to, now);
    }
    return r;
}

Micros Network::arrival(raft::NodeId from, raft::NodeId to, Micros now) {
    Micros at = now + rng_.between(faults_.latencyMinUs, faults_.latencyMaxUs);
    if (rng_.chance(faults_.reorderPpm)) {
        ++stats_.reordered;
        at += rng_.between(1, faults_.reorderDelayMaxUs);
    }
    if (clogUntil_[from][to] > now) {
        ++stats_.clogged;
        at = std::max(at, clogUntil_[from][to] + faults_.latencyMinUs);
    }
    return at;
}

void Network::healAll() {
    for (auto& row : blocked_) row.fill(false);
    for (auto& row : clogUntil_) row.fill(0);
}

}  // namespace sim
