// Replay: re-execute a trace and compare, event by event, with what it recorded.
#pragma once

#include <string>

#include "traces/trace.hpp"

namespace traces {

struct Comparison {
    bool identical = true;
    std::string report;  // "identical ..." or the first divergence, both sides shown
};

// Compares a recorded trace with its re-execution: events first, then the verdict.
Comparison compare(const Trace& recorded, const Trace& replayed);

std::string verdictText(const std::optional<sim::Violation>& verdict);

}  // namespace traces
