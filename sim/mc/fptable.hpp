// The visited set: 64-bit state fingerprints in an open-addressing table (linear
// probing, lock-free inserts by CAS), each with a link to its parent's slot so a
// counterexample path can be rebuilt. 12 bytes per slot. The capacity need not be a
// power of two (slots are picked by multiply-shift), so the table can grow by small
// factors and stay densely loaded. Growing is not thread-safe: the searches grow it
// between BFS levels; an insert into a table past its load limit reports Full and the
// caller keeps the state for after the growth.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace mc {

__extension__ using Uint128 = unsigned __int128;

class FpTable {
public:
    static constexpr std::uint32_t kNoParent = 0xFFFFFFFFu;
    static constexpr double kMaxLoad = 0.95;  // Full beyond this

    explicit FpTable(std::uint64_t capacity);

    enum class Outcome { Added, Present, Full };
    struct Insert {
        Outcome outcome;
        std::uint32_t slot;  // Added or Present: where the fingerprint lives
    };

    // Thread-safe.
    Insert insert(std::uint64_t fp, std::uint32_t parentSlot);
    std::optional<std::uint32_t> find(std::uint64_t fp) const;

    std::uint64_t fpAt(std::uint32_t slot) const { return slots_[slot].load(std::memory_order_relaxed); }
    std::uint32_t parentAt(std::uint32_t slot) const { return parents_[slot]; }

    std::uint64_t size() const { return count_.load(std::memory_order_relaxed); }
    std::uint64_t capacity() const { return capacity_; }
    std::uint64_t bytes() const { return capacity_ * (sizeof(std::uint64_t) + sizeof(std::uint32_t)); }
    double load() const { return static_cast<double>(size()) / static_cast<double>(capacity_); }

    // Not thread-safe. Rehashes into `capacity` slots; returns old slot -> new slot.
    std::vector<std::uint32_t> grow(std::uint64_t capacity);

    // The fingerprint as stored (0 marks an empty slot).
    static std::uint64_t stored(std::uint64_t fp) { return fp == 0 ? 1 : fp; }

private:
    std::uint64_t home(std::uint64_t fp) const {
        return static_cast<std::uint64_t>((static_cast<Uint128>(fp) * capacity_) >> 64);
    }

    std::uint64_t capacity_;
    std::uint64_t limit_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> slots_;
    std::unique_ptr<std::uint32_t[]> parents_;
    std::atomic<std::uint64_t> count_{0};
};

}  // namespace mc
