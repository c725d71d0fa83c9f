// Exports of a trace for outside viewers.
#pragma once

#include <string>

#include "traces/trace.hpp"

namespace traces {

// Chrome/Perfetto trace-event JSON: one track (thread) per node; role and term as
// slices, each node step as a short slice inside them, each delivered message as a flow
// arrow from the step that sent it to the step that received it; crashes, pauses and
// election timeouts as instants. Timestamps are virtual microseconds.
std::string exportPerfetto(const Trace& trace);

// A ShiViz log: first line the parsing regex, then per event a line "host {clock}" and a
// line describing it. Hosts are n0, n1, ...; each host's own clock counts its events
// from 1 and a receive merges the clock of the event that sent the message.
std::string exportShiviz(const Trace& trace);
constexpr std::string_view kShivizRegex = "(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)";

}  // namespace traces
