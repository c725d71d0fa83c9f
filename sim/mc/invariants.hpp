// The catalogue's properties (sim/property.hpp) that the model checks, over its states
// and steps: election safety, log matching, leader completeness, state machine safety
// and leader append-only (Raft paper figure 3), plus term and commitIndex monotonicity,
// commit quorum (figure 8), higher-term-adopted (figure 2's rule for every message), and
// with transfers and reads those of thesis §3.10 and read freshness (§6.4).
// They are the simulator's (sim/checker.hpp) recast for a branching search, reporting
// through the same findings (sim/findings.hpp): the history they need (who led each
// term, what was committed at each index and from which term) lives in the State, so
// every path carries its own.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/io.hpp"
#include "core/node.hpp"
#include "sim/mc/invariants_rules.hpp"
#include "sim/mc/state.hpp"

namespace mc {

// The packed form of an entry in the committed history (never 0).
std::uint16_t packEntry(const raft::Entry& e);
// A packed configuration entry's node sets, or nullopt for another entry; the same entry
// with other node sets (symmetry renames them).
std::optional<raft::Membership> packedMembership(std::uint16_t packed);
std::uint16_t withMembership(std::uint16_t packed, const raft::Membership& m);

// Checks the step of node `after.id()` from `before`; updates the history in `next`.
// `others` are the nodes of `next` other than the one that stepped.
// Figure 2: a node that receives a message of a higher term adopts that term.
// Thesis §3.10: ... and acts on a TimeoutNow only of its current term.
std::optional<McViolation> checkReceive(const raft::Message& m, const raft::Node& before, const raft::Node& after);
// Thesis §3.10: a client's proposal to `before`, a leader transferring its leadership.
std::optional<McViolation> checkProposal(const raft::Node& before, const raft::Node& after);
// Thesis §6.4: read `seq` answered by `server` at `readIndex`; `floor` was the highest
// index committed when it was invoked.
std::optional<McViolation> checkRead(const raft::Node& server, std::uint32_t seq, raft::Index readIndex,
                                     raft::Index floor);

std::optional<McViolation> checkStep(const raft::Node& before, const raft::Node& after,
                                     std::span<const raft::Node* const> others, State& next,
                                     Observed& seen);

}  // namespace mc
