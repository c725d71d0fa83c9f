// Small failing and passing runs shared by the trace tests.
#pragma once

#include <string>

#include "core/bugs.hpp"
#include "sim/options.hpp"
#include "traces/json_read.hpp"

namespace traces::testing {

// The one-line error a reader gives for a trace's text, or "(no error)".
inline std::string errorOf(const std::string& text) {
    try {
        (void)parseTrace(text, "t.json");
    } catch (const TraceError& e) {
        return e.what();
    }
    return "(no error)";
}

// `text` with its first `from` replaced by `to` (which must be there: the caller asserts).
inline std::string replacedOnce(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    return at == std::string::npos ? std::string() : text.replace(at, from.size(), to);
}

// A short run with every fault kind on and clients: exercises the whole script.
inline sim::SimOptions busyOptions(std::uint64_t seed) {
    sim::SimOptions o;
    o.nodes = 5;
    o.safetyPhaseUs = 3'000'000;
    o.livenessPhaseUs = 2'000'000;
    o.faults = sim::swarmFaults(seed);
    o.faults.dropPpm = 20'000;
    o.faults.duplicatePpm = 20'000;
    o.faults.reorderPpm = 20'000;
    for (int k = 0; k < static_cast<int>(sim::Nemesis::Count_); ++k) o.faults.enable(static_cast<sim::Nemesis>(k));
    return o;
}

inline sim::SimOptions withBug(sim::SimOptions o, raft::Bug bug) {
    o.safetyPhaseUs = 10'000'000;
    o.bugs.enable(bug);
    return o;
}

// A run whose leader serves reads without confirming it still leads (read-without-quorum):
// a stale read makes its clients' history not linearizable (checked where it is used).
inline constexpr std::uint64_t kLinFailingSeed = 41;
inline sim::SimOptions linFailingOptions() {
    sim::SimOptions o = busyOptions(kLinFailingSeed);
    o.bugs.enable(raft::Bug::ReadWithoutQuorum);
    return o;
}

}  // namespace traces::testing
