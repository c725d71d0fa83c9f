// What one node does with one input depends only on the node and the input, not on the
// rest of the state; the model meets the same (node, input) pairs millions of times.
// StepMemo keeps each outcome once, in interned form. A pure cache: thread-safe, and
// which thread computes an entry first changes nothing.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
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
    // Async writes: per send, how many of `persists` came before it in the step.
    std::vector<std::uint8_t> writesBefore;
    // The reads of the model's client the step answered with `accepted`: (seq, read index).
    std::vector<std::pair<std::uint32_t, raft::Index>> served;
};

// A thread's cache of the outcomes it used last. It belongs to one memo at a time: the
// generation tells whose it is, so a memo never reads pointers into another (or a
// destroyed) one.
struct RecentSteps {
    static constexpr int kBits = 12;
    struct Slot {
        std::uint64_t key = 0;
        const NodeStep* step = nullptr;
    };
    std::uint64_t generation = 0;
    std::array<Slot, std::size_t{1} << kBits> slots{};
};

class StepMemo {
public:
    StepMemo() : generation_(nextGeneration()) {}

    // The outcome for `key`, computing it with compute() on first sight. The reference
    // stays valid for the memo's lifetime. Each thread keeps the outcomes it used last
    // in a small direct-mapped cache, so most look-ups take no lock.
    template <typename Compute>
    const NodeStep& get(std::uint64_t key, Compute compute) {
        const std::uint64_t mixed = key * 0x9e3779b97f4a7c15ULL;
        RecentSteps& recent = StepMemo::recent();
        if (recent.generation != generation_) recent = RecentSteps{generation_, {}};
        RecentSteps::Slot& slot = recent.slots[mixed >> (64 - RecentSteps::kBits)];
        if (slot.step != nullptr && slot.key == key) return *slot.step;
        Shard& shard = shards_[mixed >> 58];
        std::lock_guard<std::mutex> lock(shard.mu);
        auto it = shard.steps.find(key);
        if (it == shard.steps.end()) it = shard.steps.emplace(key, compute()).first;  // lookups only, never iterated
        slot = RecentSteps::Slot{key, &it->second};
        return it->second;
    }

private:
    static std::uint64_t nextGeneration() {
        static std::atomic<std::uint64_t> next{1};
        return next.fetch_add(1, std::memory_order_relaxed);
    }
    static RecentSteps& recent() {
        thread_local RecentSteps steps;
        return steps;
    }

    std::uint64_t generation_;

    struct Shard {
        std::mutex mu;
        std::unordered_map<std::uint64_t, NodeStep> steps;
    };
    std::array<Shard, 64> shards_;
};

}  // namespace mc
