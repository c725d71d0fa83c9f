// Invariant assertions that print the values involved. Always on: a violated protocol
// invariant must never pass silently in a test harness. A failure throws
// raft::InvariantFailure, so whoever drives a node (the simulator, the model checker)
// reports it as a finding with its seed and trace instead of crashing the whole run.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace raft {

// A RAFT_ASSERT that failed. what(): "file:line: invariant failed: expr [values]".
class InvariantFailure : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace raft

namespace raft::detail {

// The file as the build named it, without leading "../" (meson compiles from build/),
// so that a message reads the same whatever the build directory.
constexpr const char* sourcePath(const char* file) {
    while (file[0] == '.' && file[1] == '.' && file[2] == '/') file += 3;
    return file;
}

[[noreturn]] inline void assertFailed(const char* expr, const char* file, int line,
                                      const std::string& values) {
    throw InvariantFailure(
        fmt::format("{}:{}: invariant failed: {} [{}]", sourcePath(file), line, expr, values));
}

}  // namespace raft::detail

// RAFT_ASSERT(cond, "fmt string", args...): the message shows the values involved.
#define RAFT_ASSERT(cond, ...)                                                        \
    do {                                                                              \
        if (!(cond)) [[unlikely]] {                                                   \
            ::raft::detail::assertFailed(#cond, __FILE__, __LINE__,                   \
                                         fmt::format(__VA_ARGS__));                   \
        }                                                                             \
    } while (0)
