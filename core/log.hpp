// The replicated log: entries at indexes 1..lastIndex(). Appends are O(1) amortized.
#pragma once

#include <span>
#include <vector>

#include "core/assert.hpp"
#include "core/types.hpp"

namespace raft {

class RaftLog {
public:
    RaftLog() = default;
    explicit RaftLog(std::vector<Entry> entries) : entries_(std::move(entries)) {}

    Index lastIndex() const { return entries_.size(); }
    Term lastTerm() const { return entries_.empty() ? 0 : entries_.back().term; }

    // The term of the entry at `index`; index 0 (before the log) has term 0.
    Term termAt(Index index) const {
        RAFT_ASSERT(index <= lastIndex(), "index={} lastIndex={}", index, lastIndex());
        return index == 0 ? 0 : entries_[index - 1].term;
    }

    const Entry& at(Index index) const {
        RAFT_ASSERT(index >= 1 && index <= lastIndex(), "index={} lastIndex={}", index,
                    lastIndex());
        return entries_[index - 1];
    }

    void append(const Entry& entry) { entries_.push_back(entry); }

    // Removes the entries at `index` and after.
    void truncateFrom(Index index) {
        RAFT_ASSERT(index >= 1 && index <= lastIndex() + 1, "index={} lastIndex={}", index,
                    lastIndex());
        entries_.resize(index - 1);
    }

    // Entries first..last inclusive (empty when first > last).
    std::span<const Entry> slice(Index first, Index last) const {
        if (first > last) return {};
        RAFT_ASSERT(first >= 1 && last <= lastIndex(), "first={} last={} lastIndex={}", first,
                    last, lastIndex());
        return std::span<const Entry>(entries_).subspan(first - 1, last - first + 1);
    }

    // The first index of the run of entries with the same term as `index`.
    Index firstIndexOfTermAt(Index index) const {
        const Term term = termAt(index);
        while (index > 1 && entries_[index - 2].term == term) --index;
        return index;
    }

    // The last index holding an entry of `term`, or 0 if there is none.
    Index lastIndexOfTerm(Term term) const {
        for (Index i = lastIndex(); i >= 1; --i) {
            if (entries_[i - 1].term == term) return i;
            if (entries_[i - 1].term < term) return 0;  // terms never decrease along a log
        }
        return 0;
    }

    // Log up-to-dateness (§5.4.1): a log is at least as up to date as ours if its last
    // term is later, or the same with an index at least as large.
    bool isUpToDate(Index lastLogIndex, Term lastLogTerm) const {
        return lastLogTerm > lastTerm() ||
               (lastLogTerm == lastTerm() && lastLogIndex >= lastIndex());
    }

    const std::vector<Entry>& entries() const { return entries_; }

    friend bool operator==(const RaftLog&, const RaftLog&) = default;

private:
    std::vector<Entry> entries_;
};

}  // namespace raft
