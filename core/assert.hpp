// Invariant assertions that print the values involved, then abort. Always on: a
// violated protocol invariant must never pass silently in a test harness.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace raft::detail {

[[noreturn]] inline void assertFailed(const char* expr, const char* file, int line,
                                      const std::string& values) {
    std::fprintf(stderr, "%s:%d: invariant failed: %s [%s]\n", file, line, expr, values.c_str());
    std::abort();
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
