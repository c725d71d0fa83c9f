// Model-checker traces ("engine": "model", traces/FORMAT.md) as files, and reading a
// trace of either engine. The document itself is sim/mc/cex_json's.
#pragma once

#include <string>
#include <variant>

#include "sim/mc/cex_json.hpp"
#include "traces/trace.hpp"

namespace traces {

// The text of a model trace, in the layout of every trace (json_write.hpp).
std::string dump(const mc::ModelTrace& trace);
// Writes dump(trace) to `path`; throws std::runtime_error naming the path.
void writeTrace(const std::string& path, const mc::ModelTrace& trace);

// Any problem is a TraceError naming the source and the field (json_read.hpp).
mc::ModelTrace parseModelTrace(const std::string& text, const std::string& source);

// A trace of either engine, told apart by its `engine` field.
using AnyTrace = std::variant<Trace, mc::ModelTrace>;
AnyTrace parseAnyTrace(const std::string& text, const std::string& source);
AnyTrace readAnyTrace(const std::string& path);

}  // namespace traces
