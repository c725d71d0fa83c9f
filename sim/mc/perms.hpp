// Permutations of node ids, for symmetry reduction. Permutation 0 is the identity.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "sim/mc/bounds.hpp"

namespace mc {

struct Perm {
    std::array<raft::NodeId, kMaxNodes> to{};    // old id -> new id
    std::array<raft::NodeId, kMaxNodes> from{};  // new id -> old id

    raft::NodeId map(raft::NodeId id) const { return id == raft::kNoNode ? id : to[id]; }
    raft::NodeSet mapSet(raft::NodeSet set, int nodes) const {
        raft::NodeSet out = 0;
        for (int i = 0; i < nodes; ++i) {
            if (raft::contains(set, static_cast<raft::NodeId>(i))) out |= raft::nodeBit(to[i]);
        }
        return out;
    }
};

// Over ids 0..nodes-1: every permutation of the first `permuted` ids, the rest fixed, in
// lexicographic order when `symmetry`, else only the identity. (Spares start outside the
// configuration, unlike the initial voters, so only the voters are interchangeable.)
std::vector<Perm> makePerms(int nodes, int permuted, bool symmetry);

}  // namespace mc
