// A trace's linearizability witness (FORMAT.md `linearizability`) as the tools show it:
// compared on replay, listed by the stepper, marked where its operations happen by the
// stepper and the exports.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/lin/check.hpp"

namespace traces {

// Equal in everything a trace records (not the search steps the shrink spent).
bool sameWitness(const sim::lin::KeyWitness& a, const sim::lin::KeyWitness& b);

// "linearizability violated on key 3: 4 of its 41 operations have no linearization
// (a minimal sub-history)"
std::string witnessTitle(const sim::lin::KeyWitness& w);
// "c1#4 cas 5->7 -> 1 [1.203000s, 1.250000s] events 812..845" (a pending one: `812..`).
std::string witnessOpText(const sim::Operation& op);

// Where a witness operation is invoked or completes.
struct WitnessMark {
    const sim::Operation* op = nullptr;  // into the witness
    bool invoke = true;                  // false: its completion
};
// By event index (several may share one event); pending operations have no completion.
std::multimap<std::uint64_t, WitnessMark> witnessMarks(const sim::lin::KeyWitness& w);
// "lin-witness: c1#4 cas 5->7 -> 1 invoked" / "... completed (ok)"
std::string markText(const WitnessMark& mark);

}  // namespace traces
