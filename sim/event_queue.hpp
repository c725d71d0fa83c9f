// The world's pending events, earliest first. Events are ordered by (time, sequence
// number); sequence numbers are unique, so the order is total and never depends on
// memory layout or on how the queue is built.
//
// A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990). Virtual time never runs
// backwards, so no event is queued before the time of the last one taken out (`last_`).
// The events at time last_ wait in `now_`, in sequence order; bucket b >= 1 holds those
// whose time first differs from last_ in bit b-1, so a lower bucket holds only earlier
// events. A push is an append. When `now_` runs dry, the lowest non-empty bucket is
// scanned once: its earliest time becomes last_ and its events spread over lower buckets.
// An event moves down a few buckets in its life instead of climbing and sinking through
// a binary heap at every push and pop, which made the heap a tenth of a run's work.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/assert.hpp"
#include "core/types.hpp"

namespace sim {

using raft::Micros;

enum class EventKind : std::uint8_t {
    Deliver,       // node: receiver, ref: message slot
    Timer,         // node, ref: raft::Timer, gen: timer generation
    DiskDone,      // node, ref: write id, gen: incarnation
    ClientWake,    // ref: client, gen: client generation
    ClientArrive,  // node, ref: client, gen: client generation
    Nemesis,       // the fault injector strikes
    HealNetwork,   // gen: partition generation
    Restart,       // node, gen: incarnation that crashed
    Liveness,      // faults heal; the liveness phase starts
    End,
    Transfer,      // an operator asks the leader to transfer its leadership (thesis §3.10)
    Membership,    // an operator asks for a membership change (thesis §4.1)
};

struct Event {
    Micros time = 0;
    std::uint64_t seq = 0;
    EventKind kind = EventKind::End;
    raft::NodeId node = 0;
    std::uint32_t ref = 0;
    std::uint32_t gen = 0;
};

class EventQueue {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }

    // `e` must not be earlier than the last event taken out.
    void push(const Event& e) {
        RAFT_ASSERT(e.time >= last_, "event time {} before the last one taken out ({})", e.time,
                    last_);
        ++size_;
        place(e);
    }

    // The earliest event. The queue must not be empty.
    const Event& top() {
        settle();
        return now_[head_];
    }

    // Removes and returns the earliest event. The queue must not be empty.
    Event pop() {
        if (head_ == now_.size() && occupied_ != 0) {
            // Often the lowest bucket holds one event: it is the earliest, taken directly.
            const int lowest = __builtin_ctzll(occupied_);
            std::vector<Event>& bucket = buckets_[lowest];
            if (bucket.size() == 1) {
                const Event earliest = bucket.front();
                bucket.clear();
                occupied_ &= ~(std::uint64_t{1} << lowest);
                last_ = earliest.time;
                --size_;
                return earliest;
            }
        }
        settle();
        --size_;
        const Event earliest = now_[head_++];
        if (head_ == now_.size()) {
            now_.clear();
            head_ = 0;
        }
        return earliest;
    }

private:
    static constexpr int kBuckets = 64;  // one per bit of a time

    // 0: at last_; b: the highest bit in which the time differs from last_ is b-1.
    int bucketOf(Micros time) const {
        const auto differ = static_cast<std::uint64_t>(time ^ last_);
        return differ == 0 ? 0 : 64 - __builtin_clzll(differ);
    }

    void place(const Event& e) {
        const int b = bucketOf(e.time);
        if (b == 0) {
            placeNow(e);
            return;
        }
        buckets_[b - 1].push_back(e);
        occupied_ |= std::uint64_t{1} << (b - 1);
    }

    // Keeps `now_` in sequence order. Pushes carry ever larger sequence numbers and so
    // append; only events spread from a bucket may need to move in.
    void placeNow(const Event& e) {
        if (head_ == now_.size() || now_.back().seq < e.seq) {
            now_.push_back(e);
            return;
        }
        auto at = now_.end();
        while (at != now_.begin() + static_cast<std::ptrdiff_t>(head_) && (at - 1)->seq > e.seq) --at;
        now_.insert(at, e);
    }

    // Makes `now_` hold the earliest events, if it is empty.
    void settle() {
        if (head_ < now_.size()) return;
        RAFT_ASSERT(occupied_ != 0, "take from an empty event queue (size {})", size_);
        const int lowest = __builtin_ctzll(occupied_);
        std::vector<Event>& bucket = buckets_[lowest];
        Micros earliest = bucket.front().time;
        for (const Event& e : bucket) earliest = std::min(earliest, e.time);
        last_ = earliest;
        occupied_ &= ~(std::uint64_t{1} << lowest);
        for (const Event& e : bucket) place(e);  // each lands in a lower bucket
        bucket.clear();
    }

    Micros last_ = 0;
    std::vector<Event> now_;  // events at last_ from head_ on, in sequence order
    std::size_t head_ = 0;
    std::array<std::vector<Event>, kBuckets> buckets_;
    std::uint64_t occupied_ = 0;  // bit b-1: bucket b is not empty
    std::size_t size_ = 0;
};

}  // namespace sim
