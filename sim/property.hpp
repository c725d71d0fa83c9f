// The catalogue of properties: the one definition of each property raftsim checks, shared
// by the simulator's checker (sim/checker.cpp) and the model checker's
// (sim/mc/invariants.cpp). Its order is the rank: a search that finds several
// violations at one depth reports the lowest. The paper's five properties come first
// (figure 3's order), then figure 2's rules and the commit-quorum check (figure 8), then
// what only an environment with disks, clients and a clock can see.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sim {

enum class Property : std::uint8_t {
    ElectionSafety,
    LeaderAppendOnly,
    LogMatching,
    LeaderCompleteness,
    StateMachineSafety,
    HigherTermAdopted,
    TermMonotonic,
    CommitMonotonic,
    CommitQuorum,
    CoreInvariant,
    SingleVote,
    DurableBeforeAck,
    Durability,
    ApplyOnceInOrder,
    Linearizability,
    Liveness,
    // Leadership transfer (thesis §3.10), checked in runs with transfers.
    TransferRefusesProposals,
    TransferEnds,
    TimeoutNowCurrentTerm,
    // Leases (thesis §6.4.1), checked in runs with lease reads.
    LeaseExclusive,
    // Reads without the log (thesis §6.4), checked in the model with reads.
    ReadFreshness,
    // Log compaction (thesis §5.1-§5.3), checked in runs with snapshots.
    SnapshotConsistency,
    // Membership changes (thesis §4.1-§4.3), checked in runs and models with them.
    ConfigurationSafety,
    RemovedLeaderStepsDown,
    Count_,
};

// Which engines check a property.
enum class Engines : std::uint8_t { Both, Simulator, Model };

struct PropertyInfo {
    Property property;
    std::string_view name;       // as reports, traces and --expect name it
    std::string_view statement;  // what holds, one line
    std::string_view source;     // where Raft states it
    Engines engines;
};

// Every property, in rank order.
std::span<const PropertyInfo> propertyCatalog();
const PropertyInfo& propertyInfo(Property property);
std::optional<Property> propertyByName(std::string_view name);

inline std::string_view name(Property property) { return propertyInfo(property).name; }
// Lower is reported first; a name outside the catalogue ranks after every property.
int propertyRank(std::string_view name);

}  // namespace sim
