// What one node does with one input depends only on the node and the input, not on the
// rest of the state; the model meets the same (node, input) pairs millions of times.
// StepMemo keeps each outcome once, in interned form. A pure cache: thread-safe, and
// which thread computes an entry first changes nothing.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/io.hpp"

namespace mc {

struct NodeStep {
    bool inBounds = true;     // false: the node's log would grow past the bounds
    std::uint32_t node = 0;   // the node afterwards (Tables::nodes id)
    std::uint8_t armed = 0;   // env bits of timers whose last action was an arm
    std::uint8_t cancelled = 0;               // ... and of those whose last was a cancel
    // Whether what the dead-message rules read of a node (sim/mc/dead.hpp: its term, role,
    // vote and votes granted) changed. If not, no message in flight died in the step,
    // and only the ones it sent need looking at.
    bool deadViewChanged = false;
    std::vector<std::uint32_t> sends;         // Tables::msgs ids, in the order sent
    std::vector<raft::Action> persists;       // only when the model tracks durable state
};

class StepMemo {
public:
    // The outcome for `key`, computing it with compute() on first sight. The reference
    // stays valid for the memo's lifetime.
    template <typename Compute>
    const NodeStep& get(std::uint64_t key, Compute compute) {
        Shard& shard = shards_[(key * 0x9e3779b97f4a7c15ULL) >> 58];
        std::lock_guard<std::mutex> lock(shard.mu);
        const auto it = shard.steps.find(key);
        if (it != shard.steps.end()) return it->second;
        return shard.steps.emplace(key, compute()).first->second;  // lookups only, never iterated
    }

private:
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::uint64_t, NodeStep> steps;
    };
    std::array<Shard, 64> shards_;
};

}  // namespace mc
