#include "sim/mc/tables.hpp"

#include "core/hash.hpp"
#include "sim/mc/value_hash.hpp"

namespace mc {

std::uint64_t nodePermHash(const raft::Node& node, const Perm& perm, int nodes) {
    const auto rename = [&](raft::NodeSet set) { return perm.mapSet(set, nodes); };
    raft::Hasher h;
    h.add(static_cast<std::uint64_t>(node.role()) | (std::uint64_t{perm.map(node.votedFor())} << 8) |
          (std::uint64_t{perm.map(node.leaderId())} << 16) |
          (std::uint64_t{perm.mapSet(node.votesGranted(), nodes)} << 24));
    h.add(node.currentTerm());
    h.add(node.commitIndex());
    h.add(node.lastApplied());
    h.add(node.log().lastIndex());
    // Only with writes that take steps can part of a log be not yet durable.
    if (node.stableIndex() != node.log().lastIndex()) h.add(~node.stableIndex());
    for (const raft::Entry& e : node.log().entries()) addEntry(h, e, rename);
    // Snapshots and membership (thesis §5.1, §4.1), renamed; nothing while there are none.
    if (!node.snapshot().empty()) {
        const raft::SnapshotMeta& meta = node.snapshot().meta;
        hashSnapshot(h, node.snapshot(), rename(meta.voters), rename(meta.learners));
    }
    const bool configured =
        node.membershipIndex() != 0 || node.catchUpNode() != raft::kNoNode || node.config().joinsCluster;
    if (configured) {
        const raft::Membership& m = node.membership();
        h.add(0x4d65'6d62'0000'0000ull | std::uint64_t{rename(m.learners)} << 16 | rename(m.voters));
        h.add(node.membershipIndex());
        h.add((std::uint64_t{perm.map(node.catchUpNode())} << 56) |
              (static_cast<std::uint64_t>(node.catchUpRound()) << 48) |
              (static_cast<std::uint64_t>(node.catchUpRoundTicks()) << 24) |
              static_cast<std::uint64_t>(node.catchUpTicks()));
        h.add(node.catchUpRoundEnd());
    }
    // CheckQuorum's record of who was heard from has no renaming here: the node's own
    // fingerprint (ids as they are) keeps such states apart, at the cost of some symmetry.
    if (node.config().checkQuorum) h.add(node.fingerprint());
    // Transfers and reads (thesis §3.10, §6.4), renamed; nothing while there are none.
    if (node.transferTarget() != raft::kNoNode) {
        h.add(0x7846'6572'0000'0000ull | (std::uint64_t{perm.map(node.transferTarget())} << 16) |
              static_cast<std::uint64_t>(node.transferTicks()));
    }
    if (node.readRound() != 0 || !node.pendingReads().empty()) {
        h.add(0x5265'6164'0000'0000ull | node.readRound());
        for (const raft::PendingRead& r : node.pendingReads()) {
            h.add(r.index);
            h.add((std::uint64_t{r.round} << 32) | (std::uint64_t{perm.map(r.from)} << 8) |
                  (r.confirmed ? 1u : 0u));
            h.add((std::uint64_t{r.clientId} << 32) | r.seq);
        }
    }
    // Progress matters only to a leader: becomeLeader resets it.
    if (node.role() == raft::Role::Leader) {
        // Those the leader replicates to, and itself.
        const auto replicas = static_cast<raft::NodeSet>(node.replicas() | raft::nodeBit(node.id()));
        for (int q = 0; q < nodes; ++q) {
            const raft::Progress& pr = node.progress(perm.from[q]);
            h.add(pr.nextIndex);
            h.add(pr.matchIndex);
            h.add(static_cast<std::uint64_t>(pr.replicating) | (pr.probeSent ? 2u : 0u) |
                  (std::uint64_t{pr.readRound} << 32));
            // Kept apart since membership came to the model, for the servers replicated
            // to; the presets before it do not.
            if (configured && (replicas & raft::nodeBit(perm.from[q])) != 0) h.add(pr.commitSent);
        }
    }
    return h.digest();
}

std::uint64_t nodePlainHash(const raft::Node& node) {
    // Only the initial voters (0..clusterSize-1) are renamed; spares keep their ids. So a
    // node set is the spares in it and how many initial voters.
    const auto voters = static_cast<raft::NodeSet>((1u << node.config().clusterSize) - 1);
    const auto shape = [&](raft::NodeSet set) {
        return static_cast<raft::NodeSet>((set & ~voters) | raft::countOf(set & voters) << 8);
    };
    const raft::NodeId vote = node.votedFor();
    const std::uint64_t voteKind = vote == raft::kNoNode ? 0 : vote == node.id() ? 1 : 2;
    raft::Hasher h;
    h.add(static_cast<std::uint64_t>(node.role()) | voteKind << 8 |
          static_cast<std::uint64_t>(raft::countOf(node.votesGranted())) << 16);
    h.add(node.currentTerm());
    h.add(node.commitIndex());
    h.add(node.lastApplied());
    h.add(node.log().lastIndex());
    // Only with writes that take steps can part of a log be not yet durable.
    if (node.stableIndex() != node.log().lastIndex()) h.add(~node.stableIndex());
    for (const raft::Entry& e : node.log().entries()) addEntry(h, e, shape);
    if (!node.snapshot().empty()) {
        const raft::SnapshotMeta& meta = node.snapshot().meta;
        hashSnapshot(h, node.snapshot(), shape(meta.voters), shape(meta.learners));
    }
    return h.digest();
}

std::uint64_t msgPermHash(const MsgItem& item, const Perm& perm, int nodes) {
    const std::uint64_t content =
        carriesNodeSets(item.msg)
            ? contentHash(item.msg, [&](raft::NodeSet set) { return perm.mapSet(set, nodes); })
            : item.content;
    return messageHash(content, perm.map(item.msg.from), perm.map(item.msg.to));
}

std::uint64_t durablePermHash(const raft::DurableState& d, const Perm& perm, int nodes) {
    return durableHash(d, perm.map(d.votedFor), [&](raft::NodeSet set) { return perm.mapSet(set, nodes); });
}

std::uint32_t Tables::node(const raft::Node& n) {
    return nodes.intern(n.fingerprint(), n, [&] {
        NodeItem item{n, {}, nodePlainHash(n)};
        item.permHash.reserve(perms_.size());
        for (const Perm& p : perms_) item.permHash.push_back(nodePermHash(n, p, nodes_));
        return item;
    });
}

std::uint32_t Tables::msg(const raft::Message& m) {
    const std::uint64_t content = contentHash(m);
    const std::uint64_t key = messageHash(content, m.from, m.to);
    return msgs.intern(key, m, [&] {
        MsgItem item{m, content, key, {}};
        item.permHash.reserve(perms_.size());
        for (const Perm& p : perms_) item.permHash.push_back(msgPermHash(item, p, nodes_));
        return item;
    });
}

std::uint32_t Tables::durable(const raft::DurableState& d) {
    const std::uint64_t hash = durablePermHash(d, perms_[0], nodes_);
    return durables.intern(hash, d, [&] {
        DurableItem item{d, {}};
        item.permHash.reserve(perms_.size());
        for (const Perm& p : perms_) item.permHash.push_back(durablePermHash(d, p, nodes_));
        return item;
    });
}

std::uint32_t Tables::pending(const PendingWrites& w) {
    raft::Hasher h;
    for (const PendingWrite& write : w) {
        h.add(durableItem(write.durableAfter).permHash[0]);
        h.add(write.held.size());
        for (const std::uint32_t m : write.held) h.add(msgItem(m).permHash[0]);
    }
    const std::uint64_t hash = h.digest();
    return pendings.intern(hash, w, [&] { return PendingItem{w, hash}; });
}

}  // namespace mc
