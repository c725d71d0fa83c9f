// Reading traces. Any problem (not JSON, truncated, unknown format version, a field
// missing or of the wrong type, a configuration that cannot replay) is a TraceError
// whose message is one line naming the file and the field.
#pragma once

#include <stdexcept>
#include <string>

#include "traces/trace.hpp"

namespace traces {

class TraceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `source` names the input in error messages (usually the file's path).
Trace parseTrace(const std::string& text, const std::string& source);
Trace readTrace(const std::string& path);

}  // namespace traces
