// The parent links of a breadth-first search: for every state it discovers, the
// state's fingerprint and its parent's, level by level, in an unnamed temporary file
// ($TMPDIR, else /tmp). 16 bytes a state, written in sequence and read back only to
// rebuild a counterexample, so the visited set in memory holds fingerprints alone (TLC
// keeps its trace on disk the same way).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mc {

class Trail {
public:
    struct Link {
        std::uint64_t child;
        std::uint64_t parent;
    };

    // One per thread: links gather here and reach the file in large writes.
    class Writer {
    public:
        explicit Writer(Trail& trail) : trail_(trail) { buffer_.reserve(kBufferLinks); }
        Writer(const Writer&) = delete;
        Writer& operator=(const Writer&) = delete;

        void add(std::uint64_t child, std::uint64_t parent) {
            buffer_.push_back(Link{child, parent});
            if (buffer_.size() == kBufferLinks) flush();
        }
        // Before the level ends (a writer that is not flushed loses its links).
        void flush();

    private:
        static constexpr std::size_t kBufferLinks = 1 << 15;
        Trail& trail_;
        std::vector<Link> buffer_;
    };

    // Throws std::runtime_error if no temporary file can be made.
    Trail();
    ~Trail();
    Trail(const Trail&) = delete;
    Trail& operator=(const Trail&) = delete;

    // Every writer of the level has flushed: the links after this belong to the next.
    // Throws std::runtime_error if a write failed (a full disk, say): the writers run on
    // the search's threads, so they only note it.
    void endLevel();

    // The fingerprints from the initial state (level 0) to `fp`, a state of `level`.
    std::vector<std::uint64_t> chainTo(std::uint64_t fp, int level) const;

    std::uint64_t bytes() const { return links_ * sizeof(Link); }

private:
    void append(const std::vector<Link>& links);
    std::uint64_t parentIn(int level, std::uint64_t child) const;

    int fd_ = -1;
    std::mutex mu_;
    std::string error_;  // the first failed write
    std::uint64_t links_ = 0;           // written so far
    std::vector<std::uint64_t> starts_{0};  // starts_[L - 1]: the first link of level L
};

}  // namespace mc
