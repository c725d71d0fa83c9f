// The model's membership changes and snapshots (Bounds::configChanges, Bounds::snapshots):
// which ChangeMembership and TakeSnapshot inputs a state enables, the snapshot the model's
// state machine would take, and how a persisted snapshot reaches the durable state.
#include <algorithm>
#include <array>

#include "core/hash.hpp"
#include "sim/mc/model.hpp"
#include "sim/mc/value_hash.hpp"

namespace mc {

namespace {

constexpr std::array<raft::ChangeKind, 4> kChangeKinds{raft::ChangeKind::AddVoter, raft::ChangeKind::AddLearner,
                                                       raft::ChangeKind::DemoteVoter,
                                                       raft::ChangeKind::RemoveServer};

// One applied entry's share of the state machine's hash: a sum over indexes, so a
// snapshot taken in steps hashes as one taken at once, and every node that applied the
// same prefix (state machine safety) names the same bytes. A state machine ignores a
// configuration (core/membership.hpp): its share names only its place, so that the hash
// holds no node ids and symmetry need not rename it.
std::uint64_t entryShare(raft::Index index, const raft::Entry& e) {
    raft::Hasher h;
    h.add(index);
    addEntry(h, e, [](raft::NodeSet) { return raft::NodeSet{0}; });
    return h.digest();
}

}  // namespace

// Every change that makes sense for the leader's configuration (raft::changed), to every
// server, the leader itself included: whether the leader may make it now (one at a time,
// once its term has committed, §4.1) is the core's to decide.
void Model::addChanges(const raft::Node& leader, std::vector<Event>& out) const {
    for (int j = 0; j < bounds_.servers(); ++j) {
        const auto server = static_cast<raft::NodeId>(j);
        for (const raft::ChangeKind kind : kChangeKinds) {
            if (!raft::changed(leader.membership(), kind, server)) continue;
            out.push_back(Event{.kind = EventKind::Change, .node = leader.id(), .value = packChange(kind, server)});
        }
    }
}

// The model's state machine is its applied log: a snapshot is taken at the applied
// index, when something was applied since the last one.
void Model::addSnapshot(const raft::Node& n, std::vector<Event>& out) {
    if (n.lastApplied() <= n.log().snapshotIndex()) return;
    out.push_back(Event{.kind = EventKind::Snapshot, .node = n.id(), .value = static_cast<std::uint32_t>(n.lastApplied())});
}

// The state machine's bytes are the applied prefix; their hash (also their handle) is
// the sum of each entry's share, the snapshot's own covering what it replaced.
raft::TakeSnapshot Model::snapshotInput(const raft::Node& n, raft::Index index) {
    std::uint64_t hash = n.snapshot().empty() ? 0 : n.snapshot().hash;
    for (raft::Index i = n.log().snapshotIndex() + 1; i <= std::min(index, n.log().lastIndex()); ++i) {
        hash += entryShare(i, n.log().at(i));
    }
    return raft::TakeSnapshot{.index = index, .handle = hash, .hash = hash};
}

// The durable log keeps the entries after the snapshot, unless the write discards it, or
// the snapshot reaches past it (figure 13 steps 6-7).
void Model::applySnapshot(const raft::PersistSnapshot& write, raft::DurableState& disk) {
    const raft::Index last = write.snapshot.meta.lastIncludedIndex;
    const raft::Index base = disk.snapshot.meta.lastIncludedIndex;
    RAFT_ASSERT(last > base, "snapshot at {} over a base of {}", last, base);
    const auto drop = std::min<std::size_t>(last - base, disk.log.size());
    disk.log.erase(disk.log.begin(), disk.log.begin() + static_cast<std::ptrdiff_t>(drop));
    if (!write.keepLog || last - base > drop) disk.log.clear();
    disk.snapshot = write.snapshot;
}

}  // namespace mc
