#include "sim/mc/fptable.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <new>

#include "core/assert.hpp"

namespace mc {

namespace {

std::size_t bytesFor(std::uint64_t capacity) { return capacity * sizeof(std::uint64_t); }

std::atomic_ref<std::uint64_t> at(std::uint64_t* slots, std::uint64_t i) {
    return std::atomic_ref<std::uint64_t>(slots[i]);
}

}  // namespace

// Anonymous memory reads as zero (empty slots) until first written, so a large table
// costs nothing until it fills.
std::uint64_t* FpTable::allocate(std::uint64_t capacity) {
    void* p = mmap(nullptr, bytesFor(capacity), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytesFor(capacity), MADV_HUGEPAGE);  // advice only: fine if refused
    return static_cast<std::uint64_t*>(p);
}

void FpTable::release(std::uint64_t* slots, std::uint64_t capacity) {
    if (slots != nullptr) munmap(slots, bytesFor(capacity));
}

FpTable::FpTable(std::uint64_t capacity)
    : capacity_(std::max<std::uint64_t>(capacity, 16)),
      limit_(static_cast<std::uint64_t>(static_cast<double>(capacity_) * kMaxLoad)),
      slots_(allocate(capacity_)) {}

FpTable::~FpTable() { release(slots_, capacity_); }

FpTable::Outcome FpTable::insert(std::uint64_t fp) {
    // Past the limit, probe sequences grow long: answer at once, present or not, and
    // let the caller insert again after the growth.
    if (count_.load(std::memory_order_relaxed) >= limit_) return Outcome::Full;
    fp = stored(fp);
    std::uint64_t i = home(fp);
    for (std::uint64_t probes = 0; probes < capacity_; ++probes) {
        std::uint64_t seen = at(slots_, i).load(std::memory_order_acquire);
        if (seen == 0) {
            if (count_.load(std::memory_order_relaxed) >= limit_) return Outcome::Full;
            if (at(slots_, i).compare_exchange_strong(seen, fp, std::memory_order_acq_rel)) {
                count_.fetch_add(1, std::memory_order_relaxed);
                return Outcome::Added;
            }
        }
        if (seen == fp) return Outcome::Present;
        if (seen != 0 && ++i == capacity_) i = 0;
    }
    return Outcome::Full;
}

bool FpTable::contains(std::uint64_t fp) const {
    fp = stored(fp);
    std::uint64_t i = home(fp);
    for (std::uint64_t probes = 0; probes < capacity_; ++probes) {
        const std::uint64_t seen = at(slots_, i).load(std::memory_order_acquire);
        if (seen == 0) return false;
        if (seen == fp) return true;
        if (++i == capacity_) i = 0;
    }
    return false;
}

void FpTable::place(std::uint64_t fp) {
    std::uint64_t i = home(fp);
    while (slots_[i] != 0) {
        if (++i == capacity_) i = 0;
    }
    slots_[i] = fp;
}

// The old slots are read in order and freed as soon as they are rehashed, a huge page
// at a time, so the peak is little more than the new table plus what is left of the old.
void FpTable::grow(std::uint64_t capacity) {
    const std::uint64_t count = size();
    RAFT_ASSERT(capacity > count, "grow to {} slots with {} entries", capacity, count);
    std::uint64_t* old = slots_;
    const std::uint64_t oldCapacity = capacity_;
    slots_ = allocate(capacity);
    capacity_ = capacity;
    limit_ = static_cast<std::uint64_t>(static_cast<double>(capacity_) * kMaxLoad);
    constexpr std::uint64_t kChunk = (2u << 20) / sizeof(std::uint64_t);  // one huge page
    for (std::uint64_t start = 0; start < oldCapacity; start += kChunk) {
        const std::uint64_t end = std::min(oldCapacity, start + kChunk);
        for (std::uint64_t i = start; i < end; ++i) {
            if (old[i] != 0) place(old[i]);
        }
        if (end - start == kChunk) madvise(old + start, bytesFor(kChunk), MADV_DONTNEED);
    }
    release(old, oldCapacity);
}

}  // namespace mc
