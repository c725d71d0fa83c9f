#include "sim/property.hpp"

#include <array>

#include "core/assert.hpp"

namespace sim {

namespace {

using enum Property;

constexpr std::array<PropertyInfo, static_cast<std::size_t>(Count_)> kCatalog{{
    {ElectionSafety, "election-safety", "at most one leader is elected in a term",
     "paper figure 3, §5.2", Engines::Both},
    {LeaderAppendOnly, "leader-append-only",
     "a leader never overwrites or deletes entries in its log; it only appends",
     "paper figure 3, §5.3", Engines::Both},
    {LogMatching, "log-matching",
     "two logs with an entry of the same index and term are identical up to that index",
     "paper figure 3, §5.3", Engines::Both},
    {LeaderCompleteness, "leader-completeness",
     "a leader of term T holds every entry committed in a term before T", "paper figure 3, §5.4",
     Engines::Both},
    {StateMachineSafety, "state-machine-safety",
     "no two nodes commit (and so apply) different entries at the same index",
     "paper figure 3, §5.4.3", Engines::Both},
    {HigherTermAdopted, "higher-term-adopted",
     "a node that receives a message of a higher term adopts that term (pre-votes excepted)",
     "paper figure 2, §5.1; thesis §9.6",
     Engines::Both},
    {TermMonotonic, "term-monotonic",
     "a node's currentTerm never decreases, in memory or on disk, across restarts",
     "paper figure 2, §5.1", Engines::Both},
    {CommitMonotonic, "commit-monotonic", "a node's commitIndex never decreases while it runs",
     "paper figure 2", Engines::Both},
    {CommitQuorum, "commit-quorum",
     "an entry is committed only once no node lacking it can still win an election",
     "paper §5.4.2, figure 8", Engines::Both},
    {CoreInvariant, "core-invariant",
     "no assertion inside the node (or on what it asks of its environment) fails",
     "the core's own invariants", Engines::Both},
    {SingleVote, "single-vote", "a node grants at most one vote per term, across restarts",
     "paper figure 2, §5.2", Engines::Simulator},
    {DurableBeforeAck, "durable-before-ack",
     "a granted vote or an append acknowledgement leaves a node only once what it promises is "
     "on its disk",
     "thesis §3.8", Engines::Simulator},
    {Durability, "durability",
     "once no write is in flight, a node's disk holds the term, vote and log it believes it "
     "persisted",
     "thesis §3.8", Engines::Simulator},
    {ApplyOnceInOrder, "apply-once-in-order",
     "committed entries reach the state machine in index order, each exactly once",
     "paper figure 2 (lastApplied)", Engines::Simulator},
    {Linearizability, "linearizability",
     "the clients' history of puts, gets and compare-and-sets has a linearization against "
     "the key-value model (checked when a run ends; over budget: unknown, never ok)",
     "Herlihy and Wing 1990; thesis §6.3", Engines::Simulator},
    {Liveness, "liveness",
     "once faults stop, the cluster elects a leader and commits a new entry within the "
     "liveness phase; with --standing-fault, a fault stays up on a minority and the majority "
     "that remains connected gets such a leader within the phase and is never without one "
     "for more than 10 election timeouts after",
     "paper §5.2, §5.6; thesis §6.2, §9.6", Engines::Simulator},
    {TransferRefusesProposals, "transfer-refuses-proposals",
     "a leader that is transferring its leadership accepts no client proposal",
     "thesis §3.10", Engines::Both},
    {TransferEnds, "transfer-ends",
     "a leader that started a transfer ends it, or steps down, within an election timeout "
     "(counted in its own heartbeats, one of slack), and accepts proposals again",
     "thesis §3.10", Engines::Simulator},
    {TimeoutNowCurrentTerm, "timeout-now-current-term",
     "a node starts an election on a TimeoutNow only from the leader of its current term",
     "thesis §3.10, paper §5.1", Engines::Both},
    {LeaseExclusive, "lease-exclusive",
     "a leader serves a read on its lease only while no node has been elected leader of a "
     "later term (what the lease promises, whether or not a client sees a stale value)",
     "thesis §6.4.1", Engines::Simulator},
    {ReadFreshness, "read-freshness",
     "a read answered with read index r comes from a state machine applied at least to every "
     "index committed when the read was invoked (so r is, too)",
     "thesis §6.4", Engines::Model},
    {SnapshotConsistency, "snapshot-consistency",
     "the state machine after index i (by a hash of its state) is the same on every node that "
     "applied i and in every snapshot taken or installed at i, and a snapshot covers only "
     "committed entries (the model checks the last: the entry a snapshot ends at is the one "
     "committed at its index)",
     "paper §7, figure 13; thesis §5.1-§5.3", Engines::Both},
    {ConfigurationSafety, "configuration-safety",
     "a leader's log holds at most one uncommitted configuration entry, so configurations in "
     "use at once differ by one server and no two of them can elect leaders with disjoint "
     "majorities",
     "thesis §4.1", Engines::Both},
    {RemovedLeaderStepsDown, "removed-leader-steps-down",
     "a leader whose removal (or demotion to learner) is committed stops leading: in the "
     "simulator by its next heartbeat (one of slack: the step that commits it suffices), in "
     "the model, which has no time, in the step that commits it",
     "thesis §4.2.2", Engines::Both},
}};

constexpr bool inRankOrder() {
    for (std::size_t i = 0; i < kCatalog.size(); ++i) {
        if (static_cast<std::size_t>(kCatalog[i].property) != i) return false;
    }
    return true;
}
static_assert(inRankOrder(), "the catalogue lists each property at its enum's position");

}  // namespace

std::span<const PropertyInfo> propertyCatalog() { return kCatalog; }

const PropertyInfo& propertyInfo(Property property) {
    RAFT_ASSERT(property < Count_, "property={}", static_cast<int>(property));
    return kCatalog[static_cast<std::size_t>(property)];
}

std::optional<Property> propertyByName(std::string_view name) {
    for (const PropertyInfo& info : kCatalog) {
        if (info.name == name) return info.property;
    }
    return std::nullopt;
}

int propertyRank(std::string_view name) {
    const std::optional<Property> p = propertyByName(name);
    return p ? static_cast<int>(*p) : static_cast<int>(Count_);
}

}  // namespace sim
