// Recovery after the heal in the unit of its bound: election timeouts (issue 12).
//
// The unit is the shortest election timeout (SimOptions::electionTimeoutMinUs), the
// shortest wait before a follower that lost its leader stands: a cluster whose leader
// survived the faults recovers within a fraction of one; one that must elect needs a
// little over 1 after its followers last heard a leader, and each split vote adds about
// one more. The clock starts when the last fault ends: the heal, or later a pause that
// outlasts it (the heal ends partitions, clogs, crashes and drift at once, but a frozen
// process stays frozen until its pause ends, up to seconds: that wait is the fault's,
// not the election's). Values are kept in thousandths of a timeout, whole numbers, so that sweeps
// add up and merge exactly (a sorted list of them gives every percentile).
#pragma once

#include <cstdint>
#include <vector>

#include "core/assert.hpp"
#include "core/bugs.hpp"
#include "core/types.hpp"

namespace sim {

// Thousandths of a timeout in a duration (rounded down).
constexpr std::int64_t milliTimeouts(raft::Micros us, raft::Micros timeoutUs) {
    return timeoutUs > 0 ? us * 1000 / timeoutUs : 0;
}

// The nearest-rank percentile p (1..100) of a sorted, non-empty list: the smallest value
// with at least p% of the list at or below it. p = 100 is the maximum.
template <typename T>
T percentile(const std::vector<T>& sorted, int p) {
    RAFT_ASSERT(!sorted.empty() && p >= 1 && p <= 100, "size={} p={}", sorted.size(), p);
    const std::size_t n = sorted.size();
    const std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;  // ceil(p*n/100), >= 1
    return sorted[rank - 1];
}

// A bug switch that breaks no property of one run but slows recovery: only a sweep's
// recovery bound (`raftsim sweep --max-recovery-timeouts`) catches it.
constexpr bool slowsRecoveryOnly(raft::Bug bug) { return bug == raft::Bug::ElectionTimeoutNarrow; }

}  // namespace sim
