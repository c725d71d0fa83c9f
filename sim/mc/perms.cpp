#include "sim/mc/perms.hpp"

#include <algorithm>

namespace mc {

std::vector<Perm> makePerms(int nodes, int permuted, bool symmetry) {
    std::array<raft::NodeId, kMaxNodes> order{};
    for (int i = 0; i < nodes; ++i) order[static_cast<std::size_t>(i)] = static_cast<raft::NodeId>(i);
    std::vector<Perm> perms;
    do {
        Perm p;
        for (int i = 0; i < nodes; ++i) {
            p.to[i] = order[i];
            p.from[order[i]] = static_cast<raft::NodeId>(i);
        }
        perms.push_back(p);
    } while (symmetry && std::next_permutation(order.begin(), order.begin() + permuted));
    return perms;
}

}  // namespace mc
