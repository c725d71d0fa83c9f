#include "traces/files.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "traces/json_read.hpp"

namespace traces {

namespace {

struct CloseFile {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

}  // namespace

std::string readTextFile(const std::string& path, std::size_t maxBytes) {
    const File in(std::fopen(path.c_str(), "rb"));
    if (!in) throw TraceError(fmt::format("{}: cannot open", path));
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, in.get());
        if (n == 0) break;
        if (text.size() + n > maxBytes) {
            throw TraceError(fmt::format("{}: larger than {} MiB: not a trace", path, maxBytes >> 20));
        }
        text.append(buffer, n);
    }
    if (std::ferror(in.get()) != 0) throw TraceError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    return text;
}

void writeTextFile(const std::string& path, std::string_view text) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size() && std::fflush(out) == 0;
    const int writeErrno = errno;
    const bool closed = std::fclose(out) == 0;
    if (!written || !closed) {
        throw std::runtime_error(
            fmt::format("{}: cannot write: {}", path, std::strerror(written ? errno : writeErrno)));
    }
}

}  // namespace traces
