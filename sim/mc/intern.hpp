// Hash-consing: each distinct value is stored once and named by a dense 32-bit id, so a
// state is a few ids instead of a few copies of raft::Node. Interning is thread-safe
// (sharded mutexes); get(id) is lock-free. Ids depend on the order of first sight, so
// nothing that affects results may depend on them (bags are sorted by content hash).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/assert.hpp"

namespace mc {

template <typename Item>
class Interner {
public:
    Interner() = default;
    Interner(const Interner&) = delete;
    Interner& operator=(const Interner&) = delete;
    ~Interner() {
        for (auto& c : chunks_) delete[] c.load(std::memory_order_relaxed);
    }

    // The id of the item equal to `key` (compared with Item::sameValue), inserting
    // make() if there is none. `hash` must be a function of the value.
    template <typename Key, typename Make>
    std::uint32_t intern(std::uint64_t hash, const Key& key, Make make) {
        Shard& shard = shards_[hash % kShards];
        std::lock_guard<std::mutex> lock(shard.mu);
        std::vector<std::uint32_t>& ids = shard.byHash[hash];
        for (const std::uint32_t id : ids) {
            if (get(id).sameValue(key)) return id;
        }
        const std::uint32_t id = allocate();
        slot(id) = make();
        ids.push_back(id);
        return id;
    }

    const Item& get(std::uint32_t id) const {
        const Item* chunk = chunks_[id >> kChunkBits].load(std::memory_order_acquire);
        return chunk[id & (kChunkSize - 1)];
    }

    std::uint32_t size() const { return next_.load(std::memory_order_relaxed); }

private:
    static constexpr std::uint32_t kShards = 64;
    static constexpr std::uint32_t kChunkBits = 12;
    static constexpr std::uint32_t kChunkSize = 1u << kChunkBits;
    static constexpr std::uint32_t kChunks = 1u << 14;  // 64M items

    struct Shard {
        std::mutex mu;
        std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> byHash;  // lookups only
    };

    std::uint32_t allocate() {
        const std::uint32_t id = next_.fetch_add(1, std::memory_order_relaxed);
        RAFT_ASSERT((id >> kChunkBits) < kChunks, "interner full: id={}", id);
        std::atomic<Item*>& chunk = chunks_[id >> kChunkBits];
        if (chunk.load(std::memory_order_acquire) == nullptr) {
            std::lock_guard<std::mutex> lock(allocMu_);
            if (chunk.load(std::memory_order_relaxed) == nullptr) {
                chunk.store(new Item[kChunkSize], std::memory_order_release);
            }
        }
        return id;
    }

    Item& slot(std::uint32_t id) {
        return chunks_[id >> kChunkBits].load(std::memory_order_acquire)[id & (kChunkSize - 1)];
    }

    std::array<Shard, kShards> shards_;
    std::mutex allocMu_;
    std::atomic<std::uint32_t> next_{0};
    std::array<std::atomic<Item*>, kChunks> chunks_{};
};

}  // namespace mc
