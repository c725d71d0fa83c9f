// Whole-file input and output with every error reported: a file too large or not
// readable, a disk full, a write that fails only when the file is closed. Errors are
// std::runtime_error (TraceError for input) whose message is one line naming the path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace traces {

// The largest input read: far above any trace raftsim writes, far below a runaway read
// (`raftsim replay /dev/zero`).
constexpr std::size_t kMaxInputBytes = std::size_t{256} << 20;

// The file's bytes; throws TraceError when it cannot be read or holds more than maxBytes.
std::string readTextFile(const std::string& path, std::size_t maxBytes = kMaxInputBytes);

// Writes `text` to `path` (replacing it); throws std::runtime_error when any of it fails.
void writeTextFile(const std::string& path, std::string_view text);

}  // namespace traces
