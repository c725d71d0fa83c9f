// Writing traces as JSON (traces/FORMAT.md). The text is a pure function of the Trace,
// so write -> read -> write gives the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "traces/trace.hpp"

namespace traces {

using Json = nlohmann::ordered_json;

Json toJson(const Trace& trace);
Json toJson(const sim::EventRecord& event);
// A trace's `linearizability` section (FORMAT.md).
Json toJson(const sim::lin::KeyWitness& witness);

// The trace as text: sections indented, one event, fault or request per line.
std::string dump(const Trace& trace);
// Any trace document in that layout: objects down to depth 1 spread over lines, one
// element per line in arrays of objects, everything deeper on one line; a final newline.
std::string layoutText(const Json& doc);
// Writes dump(trace) to `path`; throws std::runtime_error naming the path.
void writeTrace(const std::string& path, const Trace& trace);

}  // namespace traces
