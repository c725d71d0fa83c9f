// Reductions that stay sound when the node changes. The dead-message reduction
// (dead.hpp) rests on how the core treats stale messages, and symmetry on a node that
// uses ids only as names. Neither is true of every node: a bug switch, a changed
// core/node.cpp or a new feature can break either, and a search that keeps using it may
// then report `held` where a violation exists.
//
// So no search trusts them. The first model built for a node configuration (bug
// switches, heartbeats, batch size, CheckQuorum, PreVote, writes) explores a few small
// bounds with that very configuration, with and without each reduction, and compares:
// - dead messages: the same node states must be reachable, and a violation with the
//   reduction exactly when one is found without it;
// - symmetry: the orbits of every reachable state must be exactly the states the
//   symmetric search visits, and a violation found by both or neither.
// A difference refuses the reduction for every model of that configuration, and says
// why. This is a test at small bounds, not a proof; it catches what the reductions'
// assumptions break (tests: sim/mc/tests/audit_tests.cpp). Bug switches known to break
// the dead-message rules (dead.hpp's knownToBreakDeadRules, some only at bounds larger
// than the audit's) refuse that reduction without exploring.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "sim/mc/bounds.hpp"

namespace mc {

class Model;

struct ReductionVerdict {
    bool deadHolds = true;
    bool symmetryHolds = true;
    std::string deadWhy;  // why it was refused; empty when it holds
    std::string symmetryWhy;
};

// The verdict for nodes configured as `b` configures them. Explores only when `b` would
// use a reduction, once per configuration for the life of the process; thread-safe.
const ReductionVerdict& auditReductions(const Bounds& b);

// Whether the dead-message rules are meant to cover models of these bounds at all:
// they know nothing of CheckQuorum (every message a leader hears counts), of pre-votes,
// or of writes that take steps of their own. (TimeoutNow, ReadIndex and
// ReadIndexResponse are never dead to them; the audit checks the rest with reads and
// transfers on, read rounds included.)
bool deadRulesCover(const Bounds& b);
// Whether symmetry is meant to apply: not with async writes, whose per-node write queues
// keep their order. (Spares are never renamed; node sets are renamed everywhere.)
bool symmetryCovers(const Bounds& b);

// Everything reachable within a model's bounds, to compare searches with and without a
// reduction.
struct Reach {
    std::set<std::uint64_t> nodeStates;  // every reachable state but its messages in flight
    std::set<std::uint64_t> orbits;      // the model's fingerprint of every reachable state
    std::uint64_t states = 0;            // distinct as the search told them apart
    bool violation = false;
    bool complete = true;  // false: stopped past `budget` states
};
// Breadth-first over every state within the model's bounds, told apart by the exact
// encoding (`exact`) or by the model's own fingerprint, symmetric when it is. A state
// that violates a property is explored on: reductions must agree past it too.
Reach reachable(Model& m, bool exact, std::uint64_t budget = UINT64_MAX);

// The explorations themselves, uncached: why the reduction fails at small bounds with
// `b`'s node configuration, or empty when it held at every one.
std::string auditDeadMessages(const Bounds& b);
std::string auditSymmetry(const Bounds& b);

}  // namespace mc
