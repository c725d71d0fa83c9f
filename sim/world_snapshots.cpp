// Log compaction in the world (thesis §5.1-§5.3, paper §7): each node snapshots its state
// machine every SimOptions::snapshotEvery applied entries and asks its node to compact
// its log there (TakeSnapshot); snapshots reach the disk through the disk model like
// other writes, and a node restores its state machine from one (RestoreSnapshot) when it
// installs a leader's or restarts from its own. The bytes live in the world's store,
// under handles the nodes and InstallSnapshot messages carry.
#include <set>

#include "sim/world.hpp"

namespace sim {

using raft::NodeId;

std::uint64_t World::applyHash(const Host& h) const { return h.kv.hash(); }

// Called after each of a node's steps: a state machine that has applied snapshotEvery
// entries past its last snapshot is saved, and the node told so. (Not during the step:
// its actions are still being carried out then.)
void World::takeDueSnapshot(NodeId id) {
    Host& h = hosts_[id];
    if (!h.node || h.applied < h.snapshotAt + snapshotEvery_) return;
    std::vector<std::uint64_t> state = h.kv.save();
    const std::uint64_t hash = stateHash(state);
    const std::uint64_t handle = snapshots_.save(std::move(state), hash, id);
    h.snapshotAt = h.applied;
    stats_.snapshotsTaken += 1;
    eventSnapshotTaken_ = h.applied;
    checker_.onState(id, h.applied, hash, "snapshot taken");
    if (checker_.violation()) return;
    stepNode(id, raft::TakeSnapshot{h.applied, handle, hash});
    if (snapshots_.size() > 4 * hosts_.size() + 16) collectSnapshots();
}

// A PersistSnapshot is durable: the disk's snapshot is the new one, and its log keeps the
// entries after it (or none, when the node discarded its log).
void World::persistSnapshot(Host& h, const raft::PersistSnapshot& write) {
    const raft::Index oldBase = h.disk.snapshot.meta.lastIncludedIndex;
    const raft::Index base = write.snapshot.meta.lastIncludedIndex;
    h.disk.snapshot = write.snapshot;
    if (!write.keepLog || base - oldBase >= h.disk.log.size()) {
        h.disk.log.clear();
    } else {
        h.disk.log.erase(h.disk.log.begin(), h.disk.log.begin() + static_cast<std::ptrdiff_t>(base - oldBase));
    }
}

// The node's state machine becomes the snapshot's (figure 13 step 8); the next Apply
// starts after its last included index.
void World::restoreSnapshot(NodeId id, const raft::Snapshot& snapshot) {
    Host& h = hosts_[id];
    const SavedState* saved = snapshots_.find(snapshot.handle);
    RAFT_ASSERT(saved != nullptr && saved->hash == snapshot.hash,
                "node {} restores snapshot handle {} (index {}) hash {:x}: {}", id, snapshot.handle,
                snapshot.meta.lastIncludedIndex, snapshot.hash,
                saved == nullptr ? "no such snapshot" : "its bytes hash otherwise");
    h.kv = freshStore();
    RAFT_ASSERT(h.kv.load(saved->state), "node {} snapshot handle {} is malformed", id, snapshot.handle);
    h.applied = snapshot.meta.lastIncludedIndex;
    h.snapshotAt = h.applied;
    checker_.onState(id, h.applied, stateHash(saved->state),
                     saved->takenBy == id ? "snapshot restored" : "snapshot installed");
}

// Frees the snapshots nothing can name any more: not a disk, a node, a write or action
// waiting on a disk, nor a message (in flight, or a spent one in the message slab).
void World::collectSnapshots() {
    std::set<std::uint64_t> live;
    for (const Host& h : hosts_) {
        live.insert(h.disk.snapshot.handle);
        if (h.node && h.node->core() != nullptr) live.insert(h.node->core()->snapshot().handle);
        for (const PendingWrite& w : h.writes) {
            if (const auto* s = std::get_if<raft::PersistSnapshot>(&w.write)) live.insert(s->snapshot.handle);
        }
        for (const Deferred& d : h.outbox) {
            if (const auto* r = std::get_if<raft::RestoreSnapshot>(&d.action)) live.insert(r->snapshot.handle);
            if (const auto* s = std::get_if<raft::Send>(&d.action)) {
                if (s->message.kind == raft::MsgKind::InstallSnapshot) live.insert(s->message.prevLogIndex);
            }
        }
    }
    for (const raft::Input& in : messages_) {
        const raft::Message& m = std::get<raft::Receive>(in).message;
        if (m.kind == raft::MsgKind::InstallSnapshot) live.insert(m.prevLogIndex);
    }
    snapshots_.keepOnly(live);
}

}  // namespace sim
