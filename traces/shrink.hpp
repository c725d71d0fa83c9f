// Shrinking: the smallest trace we can find that still violates the same property.
// Delta debugging over the schedule (faults, client requests with the client choices
// they drew, fault times, think times), fewer nodes, shorter phases, whole messages on
// the network tape (dropped or made plain), and deleting, zeroing and halving recorded
// choices (Hypothesis' approach). A few strategies (orders of those steps) share the
// budget; each starts from the smallest trace found so far, in rounds repeated while
// one of them finds a smaller one.
// Deterministic: the same input and budget give the same output.
#pragma once

#include <cstddef>
#include <functional>

#include "traces/trace.hpp"

namespace traces {

struct ShrinkOptions {
    std::size_t maxRuns = 20000;  // re-executions allowed, over all strategies (not a clock)
};

struct ShrinkResult {
    Trace trace;
    std::size_t runs = 0;  // re-executions used
};

// The size of a trace, compared in this order; shrinking only ever lowers it.
struct TraceSize {
    std::size_t nodes = 0, faults = 0, requests = 0, events = 0, choices = 0;
    std::uint64_t choiceSum = 0;

    static TraceSize of(const Trace& trace);
    auto key() const { return std::tie(nodes, faults, requests, events, choices, choiceSum); }
    friend bool operator<(const TraceSize& a, const TraceSize& b) { return a.key() < b.key(); }
};

// `failing` must carry a violation. The result violates the same property and replays
// identically.
ShrinkResult shrink(const Trace& failing, const ShrinkOptions& options = {});

}  // namespace traces
