// The bytes of the state machines' snapshots (core/snapshot.hpp: the node names them by a
// handle; the environment keeps them). Handles are never reused in a run.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "core/hash.hpp"
#include "core/types.hpp"

namespace sim {

// A hash of a state machine's state (KvStore::save()): what a snapshot's hash is, and
// what the checker compares across nodes (snapshot-consistency).
inline std::uint64_t stateHash(const std::vector<std::uint64_t>& state) {
    raft::Hasher h;
    h.add(state.size());
    for (const std::uint64_t word : state) h.add(word);
    return h.digest();
}

struct SavedState {
    std::vector<std::uint64_t> state;
    std::uint64_t hash = 0;
    raft::NodeId takenBy = raft::kNoNode;
};

class SnapshotStore {
public:
    std::uint64_t save(std::vector<std::uint64_t> state, std::uint64_t hash, raft::NodeId takenBy) {
        const std::uint64_t handle = next_++;
        saved_.emplace(handle, SavedState{std::move(state), hash, takenBy});
        return handle;
    }
    const SavedState* find(std::uint64_t handle) const {
        const auto it = saved_.find(handle);
        return it == saved_.end() ? nullptr : &it->second;
    }
    std::size_t size() const { return saved_.size(); }
    // Forgets every snapshot whose handle is not in `live`.
    void keepOnly(const std::set<std::uint64_t>& live) {
        std::erase_if(saved_, [&](const auto& entry) { return live.count(entry.first) == 0; });
    }

private:
    std::uint64_t next_ = 1;  // 0 names no snapshot
    std::map<std::uint64_t, SavedState> saved_;
};

}  // namespace sim
