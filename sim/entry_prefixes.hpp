// What log matching (§5.3) needs to remember: for every (index, term) some node wrote,
// the prefix hash of the log that ends in that entry. Two entries with the same index
// and term must end identical logs.
//
// Logs are written from index 1 upwards, and most indexes only ever hold one term, so
// the first term seen at each index lives in a flat vector indexed by log index; the
// terms of entries that diverged from it (uncommitted entries later overwritten) go to
// a map.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/assert.hpp"
#include "core/types.hpp"

namespace sim {

class EntryPrefixes {
public:
    // Records that entry (index, term) ends a log whose prefix hash is `prefix`. False if
    // the same (index, term) ended a log with a different prefix before.
    bool record(raft::Index index, raft::Term term, std::uint64_t prefix) {
        RAFT_ASSERT(index >= 1 && term >= 1, "index={} term={}", index, term);
        if (index > first_.size()) first_.resize(index);
        First& first = first_[index - 1];
        if (first.term == 0) {  // nothing here yet
            first = First{term, prefix};
            return true;
        }
        if (first.term == term) return first.prefix == prefix;
        const auto [it, inserted] = others_.try_emplace({index, term}, prefix);
        return inserted || it->second == prefix;
    }

private:
    struct First {
        raft::Term term = 0;
        std::uint64_t prefix = 0;
    };
    std::vector<First> first_;  // [index - 1]
    std::map<std::pair<raft::Index, raft::Term>, std::uint64_t> others_;
};

}  // namespace sim
