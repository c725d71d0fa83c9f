// The world's pending events, earliest first. Events are ordered by (time, sequence
// number); sequence numbers are unique, so the order is total and never depends on
// memory layout or on how the queue is built.
//
// A 4-ary min-heap in one vector: half the levels of a binary heap, and the four
// children of a slot share a cache line or two, so a pop touches little memory.
#pragma once

#include <cstdint>
#include <vector>

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
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }
    const Event& top() const { return heap_.front(); }

    void push(const Event& e) {
        heap_.push_back(e);
        siftUp(heap_.size() - 1, e);
    }

    // Removes and returns the earliest event. The queue must not be empty.
    Event pop() {
        const Event earliest = heap_.front();
        const Event last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) refillRoot(last);
        return earliest;
    }

private:
    static constexpr std::size_t kArity = 4;

    // (time, seq) as one 128-bit key: a single branch-free comparison. Virtual time
    // never goes below 0, so the unsigned conversion keeps the order.
    static __uint128_t key(const Event& e) {
        return (static_cast<__uint128_t>(static_cast<std::uint64_t>(e.time)) << 64) | e.seq;
    }
    static bool before(const Event& a, const Event& b) { return key(a) < key(b); }

    // The earliest of the children first.. (at most kArity, all before n).
    std::size_t earliestChild(std::size_t first, std::size_t n) const {
        if (first + kArity <= n) {  // a full family: a small knockout tournament
            const std::size_t a = before(heap_[first + 1], heap_[first]) ? first + 1 : first;
            const std::size_t b = before(heap_[first + 3], heap_[first + 2]) ? first + 3 : first + 2;
            return before(heap_[b], heap_[a]) ? b : a;
        }
        std::size_t child = first;
        for (std::size_t c = first + 1; c < n; ++c) {
            if (before(heap_[c], heap_[child])) child = c;
        }
        return child;
    }

    // Fills the hole at the root with `e`. The last event is usually among the latest,
    // so the hole first sinks to a leaf along the earliest children (one comparison per
    // level saved), and `e` then rises from there to its place (Floyd's heuristic).
    void refillRoot(const Event& e) {
        const std::size_t n = heap_.size();
        std::size_t hole = 0;
        for (std::size_t first = 1; first < n; first = hole * kArity + 1) {
            const std::size_t child = earliestChild(first, n);
            heap_[hole] = heap_[child];
            hole = child;
        }
        siftUp(hole, e);
    }

    // Places `e` at `hole` or above it, moving later parents down.
    void siftUp(std::size_t hole, const Event& e) {
        while (hole > 0) {
            const std::size_t parent = (hole - 1) / kArity;
            if (!before(e, heap_[parent])) break;
            heap_[hole] = heap_[parent];
            hole = parent;
        }
        heap_[hole] = e;
    }

    std::vector<Event> heap_;
};

}  // namespace sim
