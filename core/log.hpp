// The replicated log: entries at indexes firstIndex()..lastIndex(), after a snapshot base
// (thesis §5.1-§5.3): the entries up to snapshotIndex() are discarded, and only the base's
// index and term are kept. Appends are O(1) amortized; compaction moves the entries kept.
// With no snapshot the base is 0 (term 0) and the log holds indexes 1..lastIndex().
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
    // A log whose entries up to `base` (of term `baseTerm`) are in a snapshot; `entries`
    // are those at base+1, base+2, ...
    RaftLog(Index base, Term baseTerm, std::vector<Entry> entries)
        : entries_(std::move(entries)), base_(base), baseTerm_(baseTerm) {
        RAFT_ASSERT(base != 0 || baseTerm == 0, "base={} baseTerm={}", base, baseTerm);
    }

    Index lastIndex() const { return base_ + entries_.size(); }
    Term lastTerm() const { return entries_.empty() ? baseTerm_ : entries_.back().term; }

    // The snapshot base: the last index and term the snapshot includes (0, 0: none).
    Index snapshotIndex() const { return base_; }
    Term snapshotTerm() const { return baseTerm_; }
    // The first index still held; entries()[k] is the entry at firstIndex() + k.
    Index firstIndex() const { return base_ + 1; }

    // The term of the entry at `index`, from the snapshot base on; the base (index 0
    // without a snapshot) has the base's term.
    Term termAt(Index index) const {
        RAFT_ASSERT(index >= base_ && index <= lastIndex(), "index={} snapshotIndex={} lastIndex={}",
                    index, base_, lastIndex());
        return index == base_ ? baseTerm_ : entries_[index - base_ - 1].term;
    }

    const Entry& at(Index index) const {
        RAFT_ASSERT(index > base_ && index <= lastIndex(), "index={} snapshotIndex={} lastIndex={}",
                    index, base_, lastIndex());
        return entries_[index - base_ - 1];
    }

    void append(const Entry& entry) { entries_.push_back(entry); }

    // Removes the entries at `index` and after.
    void truncateFrom(Index index) {
        RAFT_ASSERT(index > base_ && index <= lastIndex() + 1, "index={} snapshotIndex={} lastIndex={}",
                    index, base_, lastIndex());
        entries_.resize(index - base_ - 1);
    }

    // Thesis §5.1: the entries up to `index` (held, and after the base) go into a
    // snapshot; those after it are kept. O(entries kept).
    void compactTo(Index index) {
        RAFT_ASSERT(index > base_ && index <= lastIndex(), "index={} snapshotIndex={} lastIndex={}",
                    index, base_, lastIndex());
        baseTerm_ = termAt(index);
        entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(index - base_));
        base_ = index;
    }

    // Figure 13 step 7: the whole log is discarded; a snapshot ending at (index, term) is
    // its new base.
    void resetTo(Index index, Term term) {
        RAFT_ASSERT(index > base_ && term != 0, "index={} term={} snapshotIndex={}", index, term,
                    base_);
        entries_.clear();
        base_ = index;
        baseTerm_ = term;
    }

    // Entries first..last inclusive (empty when first > last).
    std::span<const Entry> slice(Index first, Index last) const {
        if (first > last) return {};
        RAFT_ASSERT(first > base_ && last <= lastIndex(), "first={} last={} snapshotIndex={} lastIndex={}",
                    first, last, base_, lastIndex());
        return std::span<const Entry>(entries_).subspan(first - base_ - 1, last - first + 1);
    }

    // The first index of the run of entries with the same term as `index`, no earlier
    // than the first entry held (the base itself when `index` is the base).
    Index firstIndexOfTermAt(Index index) const {
        const Term term = termAt(index);
        while (index > base_ + 1 && entries_[index - base_ - 2].term == term) --index;
        return index;
    }

    // The last index holding an entry of `term` (the base counts), or 0 if there is none
    // or it is in the snapshot before the base.
    Index lastIndexOfTerm(Term term) const {
        for (Index i = lastIndex(); i > base_; --i) {
            if (entries_[i - base_ - 1].term == term) return i;
            if (entries_[i - base_ - 1].term < term) return 0;  // terms never decrease along a log
        }
        return base_ != 0 && baseTerm_ == term ? base_ : 0;
    }

    // Log up-to-dateness (§5.4.1): a log is at least as up to date as ours if its last
    // term is later, or the same with an index at least as large.
    bool isUpToDate(Index lastLogIndex, Term lastLogTerm) const {
        return lastLogTerm > lastTerm() ||
               (lastLogTerm == lastTerm() && lastLogIndex >= lastIndex());
    }
    // Strictly more up to date than ours: a later last term, or the same and longer.
    bool isNewerThanOurs(Index lastLogIndex, Term lastLogTerm) const {
        return lastLogTerm > lastTerm() ||
               (lastLogTerm == lastTerm() && lastLogIndex > lastIndex());
    }

    // The entries held, from firstIndex() (index 1 when there is no snapshot).
    const std::vector<Entry>& entries() const { return entries_; }

    friend bool operator==(const RaftLog&, const RaftLog&) = default;

private:
    std::vector<Entry> entries_;
    Index base_ = 0;     // the snapshot's last included index
    Term baseTerm_ = 0;  // and its term
};

}  // namespace raft
