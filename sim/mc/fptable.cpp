#include "sim/mc/fptable.hpp"

#include "core/assert.hpp"

namespace mc {

FpTable::FpTable(std::uint64_t capacity)
    : capacity_(std::max<std::uint64_t>(capacity, 16)),
      limit_(static_cast<std::uint64_t>(static_cast<double>(capacity_) * kMaxLoad)),
      slots_(new std::atomic<std::uint64_t>[capacity_]),
      parents_(new std::uint32_t[capacity_]) {
    RAFT_ASSERT(capacity_ < kNoParent, "capacity={}", capacity_);
    for (std::uint64_t i = 0; i < capacity_; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

FpTable::Insert FpTable::insert(std::uint64_t fp, std::uint32_t parentSlot) {
    fp = stored(fp);
    std::uint64_t i = home(fp);
    for (std::uint64_t probes = 0; probes < capacity_; ++probes) {
        std::uint64_t seen = slots_[i].load(std::memory_order_acquire);
        if (seen == 0) {
            if (count_.load(std::memory_order_relaxed) >= limit_) return {Outcome::Full, 0};
            if (slots_[i].compare_exchange_strong(seen, fp, std::memory_order_acq_rel)) {
                parents_[i] = parentSlot;
                count_.fetch_add(1, std::memory_order_relaxed);
                return {Outcome::Added, static_cast<std::uint32_t>(i)};
            }
        }
        if (seen == fp) return {Outcome::Present, static_cast<std::uint32_t>(i)};
        if (seen != 0 && ++i == capacity_) i = 0;
    }
    return {Outcome::Full, 0};
}

std::optional<std::uint32_t> FpTable::find(std::uint64_t fp) const {
    fp = stored(fp);
    std::uint64_t i = home(fp);
    for (std::uint64_t probes = 0; probes < capacity_; ++probes) {
        const std::uint64_t seen = slots_[i].load(std::memory_order_acquire);
        if (seen == 0) return std::nullopt;
        if (seen == fp) return static_cast<std::uint32_t>(i);
        if (++i == capacity_) i = 0;
    }
    return std::nullopt;
}

std::vector<std::uint32_t> FpTable::grow(std::uint64_t capacity) {
    FpTable bigger(capacity);
    std::vector<std::uint32_t> moved(capacity_, kNoParent);
    for (std::uint64_t i = 0; i < capacity_; ++i) {
        const std::uint64_t fp = slots_[i].load(std::memory_order_relaxed);
        if (fp == 0) continue;
        const Insert r = bigger.insert(fp, kNoParent);
        RAFT_ASSERT(r.outcome == Outcome::Added, "rehash into capacity {} failed", capacity);
        moved[i] = r.slot;
    }
    for (std::uint64_t i = 0; i < capacity_; ++i) {
        if (moved[i] == kNoParent) continue;
        const std::uint32_t p = parents_[i];
        bigger.parents_[moved[i]] = p == kNoParent ? kNoParent : moved[p];
    }
    capacity_ = bigger.capacity_;
    limit_ = bigger.limit_;
    slots_ = std::move(bigger.slots_);
    parents_ = std::move(bigger.parents_);
    count_.store(bigger.count_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    return moved;
}

}  // namespace mc
