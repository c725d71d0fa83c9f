// The interned values a state refers to: nodes, messages and durable states, each with
// the hashes symmetry reduction needs, computed once per distinct value.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/io.hpp"
#include "core/node.hpp"
#include "sim/mc/intern.hpp"
#include "sim/mc/perms.hpp"

namespace mc {

// A node's hash as it would be with ids renamed by each permutation. The node's own id
// is left out: the position of the node in the state carries it.
struct NodeItem {
    std::optional<raft::Node> node;
    std::vector<std::uint64_t> permHash;  // one per permutation
    std::uint64_t plainHash = 0;          // the same under every renaming (nodePlainHash)
    bool sameValue(const raft::Node& other) const { return *node == other; }
};

// A message without its endpoints hashes to `content`; `sortKey` orders bags.
struct MsgItem {
    raft::Message msg;
    std::uint64_t content = 0;
    std::uint64_t sortKey = 0;
    std::vector<std::uint64_t> permHash;  // msgPermHash, one per permutation
    bool sameValue(const raft::Message& other) const { return msg == other; }
};

struct DurableItem {
    raft::DurableState durable;
    std::vector<std::uint64_t> permHash;
    bool sameValue(const raft::DurableState& other) const { return durable == other; }
};

// One write in flight (Bounds::asyncWrites): the durable state once it completes, and the
// messages the node sent after it, released then.
struct PendingWrite {
    std::uint32_t durableAfter = 0;  // Tables::durables id
    std::vector<std::uint32_t> held;  // Tables::msgs ids, in the order sent
    friend bool operator==(const PendingWrite&, const PendingWrite&) = default;
};

using PendingWrites = std::vector<PendingWrite>;  // oldest first

struct PendingItem {
    PendingWrites writes;
    std::uint64_t hash = 0;  // of the contents, not of the ids (ids depend on timing)
    bool sameValue(const PendingWrites& other) const { return writes == other; }
};

std::uint64_t nodePermHash(const raft::Node& node, const Perm& perm, int nodes);
// What a node is whatever the node ids are called: no id appears in it (a vote is
// "none", "self" or "another"; a node set, its spares and how many initial voters).
// Coarser than nodePermHash; orders nodes for symmetry.
std::uint64_t nodePlainHash(const raft::Node& node);
std::uint64_t msgPermHash(const MsgItem& item, const Perm& perm, int nodes);
std::uint64_t durablePermHash(const raft::DurableState& d, const Perm& perm, int nodes);

class Tables {
public:
    Tables(int nodes, std::span<const Perm> perms) : nodes_(nodes), perms_(perms) {}

    std::uint32_t node(const raft::Node& n);
    std::uint32_t msg(const raft::Message& m);
    std::uint32_t durable(const raft::DurableState& d);
    std::uint32_t pending(const PendingWrites& w);

    const NodeItem& nodeItem(std::uint32_t id) const { return nodes.get(id); }
    const MsgItem& msgItem(std::uint32_t id) const { return msgs.get(id); }
    const DurableItem& durableItem(std::uint32_t id) const { return durables.get(id); }
    const PendingItem& pendingItem(std::uint32_t id) const { return pendings.get(id); }

    Interner<NodeItem> nodes;
    Interner<MsgItem> msgs;
    Interner<DurableItem> durables;
    Interner<PendingItem> pendings;

private:
    int nodes_;
    std::span<const Perm> perms_;
};

}  // namespace mc
