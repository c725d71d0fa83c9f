#include "sim/mc/trail.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/assert.hpp"

namespace mc {

namespace {

int makeTempFile() {
    const char* env = std::getenv("TMPDIR");
    const std::string dir = env != nullptr && *env != 0 ? env : "/tmp";
    std::string path = dir + "/raftsim-trail-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
        throw std::runtime_error(fmt::format("cannot create the search trail (parent links) in {}: {}", dir,
                                             std::strerror(errno)));
    }
    unlink(path.c_str());  // gone with the process, whatever happens
    return fd;
}

}  // namespace

void Trail::Writer::flush() {
    if (buffer_.empty()) return;
    trail_.append(buffer_);
    buffer_.clear();
}

Trail::Trail() : fd_(makeTempFile()) {}

Trail::~Trail() { close(fd_); }

void Trail::append(const std::vector<Link>& links) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.empty()) return;
    const auto* bytes = reinterpret_cast<const char*>(links.data());
    std::size_t size = links.size() * sizeof(Link);
    auto offset = static_cast<off_t>(links_ * sizeof(Link));
    while (size > 0) {
        const ssize_t n = pwrite(fd_, bytes, size, offset);
        if (n <= 0) {
            error_ = fmt::format("cannot write the search trail (parent links, in $TMPDIR or /tmp): {}",
                                 n < 0 ? std::strerror(errno) : "no space written");
            return;
        }
        bytes += n;
        size -= static_cast<std::size_t>(n);
        offset += n;
    }
    links_ += links.size();
}

void Trail::endLevel() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_.empty()) throw std::runtime_error(error_);
    starts_.push_back(links_);
}

std::uint64_t Trail::parentIn(int level, std::uint64_t child) const {
    RAFT_ASSERT(level >= 1 && static_cast<std::size_t>(level) <= starts_.size(), "level={} levels={}", level,
                starts_.size());
    const std::uint64_t first = starts_[level - 1];
    const std::uint64_t last = static_cast<std::size_t>(level) < starts_.size() ? starts_[level] : links_;
    std::vector<Link> chunk(std::size_t{1} << 16);
    for (std::uint64_t at = first; at < last; at += chunk.size()) {
        const std::size_t count = std::min<std::uint64_t>(chunk.size(), last - at);
        const ssize_t n = pread(fd_, chunk.data(), count * sizeof(Link), static_cast<off_t>(at * sizeof(Link)));
        RAFT_ASSERT(n == static_cast<ssize_t>(count * sizeof(Link)), "trail read at link {} returned {}", at, n);
        for (std::size_t k = 0; k < count; ++k) {
            if (chunk[k].child == child) return chunk[k].parent;
        }
    }
    RAFT_ASSERT(false, "state {:#x} is not in level {} of the trail", child, level);
    return 0;
}

std::vector<std::uint64_t> Trail::chainTo(std::uint64_t fp, int level) const {
    std::vector<std::uint64_t> fps{fp};
    for (int l = level; l >= 1; --l) fps.push_back(parentIn(l, fps.back()));
    std::reverse(fps.begin(), fps.end());
    return fps;
}

}  // namespace mc
