// The visited set: 64-bit state fingerprints in an open-addressing table (linear
// probing, lock-free inserts by CAS), 8 bytes per slot. Parent links live outside it
// (sim/mc/trail.hpp for BFS, the stack for DFS), so the table is only the set.
//
// The capacity need not be a power of two (slots are picked by multiply-shift), so the
// table can grow by small factors and stay densely loaded. Its memory comes straight
// from the kernel, zeroed lazily and in huge pages where the kernel allows them: a
// table of billions of bytes is probed at random, and TLB misses would dominate.
// Growing is not thread-safe: the searches grow it between BFS levels; an insert into
// a table past its load limit reports Full and the caller keeps the state for after
// the growth.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace mc {

__extension__ using Uint128 = unsigned __int128;

class FpTable {
public:
    static constexpr double kMaxLoad = 0.95;  // Full beyond this, even for a fingerprint present

    explicit FpTable(std::uint64_t capacity);
    ~FpTable();
    FpTable(const FpTable&) = delete;
    FpTable& operator=(const FpTable&) = delete;

    enum class Outcome { Added, Present, Full };

    // Thread-safe.
    Outcome insert(std::uint64_t fp);
    bool contains(std::uint64_t fp) const;
    // A hint that `fp` will be inserted soon: fetch its home slot into the cache.
    void prefetch(std::uint64_t fp) const { __builtin_prefetch(&slots_[home(stored(fp))], 1, 0); }

    std::uint64_t size() const { return count_.load(std::memory_order_relaxed); }
    std::uint64_t capacity() const { return capacity_; }
    std::uint64_t bytes() const { return capacity_ * sizeof(std::uint64_t); }
    double load() const { return static_cast<double>(size()) / static_cast<double>(capacity_); }

    // Not thread-safe. Rehashes into `capacity` slots.
    void grow(std::uint64_t capacity);

    // The fingerprint as stored (0 marks an empty slot).
    static std::uint64_t stored(std::uint64_t fp) { return fp == 0 ? 1 : fp; }

private:
    std::uint64_t home(std::uint64_t fp) const {
        return static_cast<std::uint64_t>((static_cast<Uint128>(fp) * capacity_) >> 64);
    }
    static std::uint64_t* allocate(std::uint64_t capacity);
    static void release(std::uint64_t* slots, std::uint64_t capacity);
    // Inserts into an empty slot without atomics (rehashing, one thread).
    void place(std::uint64_t fp);

    std::uint64_t capacity_;
    std::uint64_t limit_;
    std::uint64_t* slots_;
    std::atomic<std::uint64_t> count_{0};
};

}  // namespace mc
