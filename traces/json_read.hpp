// Reading traces. Any problem (not JSON, truncated, unknown format version, a field
// missing or of the wrong type, a configuration that cannot replay) is a TraceError
// whose message is one line naming the file and the field.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "traces/trace.hpp"

namespace traces {

class TraceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Which engine wrote a trace: the top-level `engine` field, "simulator" when absent.
enum class Engine { Simulator, Model };

// `source` names the input in error messages (usually the file's path).
// These read simulator traces; a model-checker trace is refused with a TraceError.
Trace parseTrace(const std::string& text, const std::string& source);
Trace readTrace(const std::string& path);

// The pieces, for readers of either engine's traces (traces/model_trace.hpp).
std::string readText(const std::string& path);
nlohmann::json parseDocument(const std::string& text, const std::string& source);
Engine engineOf(const nlohmann::json& doc, const std::string& source);
Trace traceFromJson(const nlohmann::json& doc, const std::string& source);

}  // namespace traces
