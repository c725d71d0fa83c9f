// The Wing & Gong linearizability search with Lowe's memoization (the algorithm of
// Porcupine and Knossos), for the operations of one key.
#pragma once

#include <cstdint>
#include <span>

#include "sim/clients.hpp"
#include "sim/lin/verdict.hpp"

namespace sim::lin {

struct SearchResult {
    Verdict verdict = Verdict::Unknown;
    std::uint64_t steps = 0;   // what the budget bounds: entries walked, tries that reached
                               // the memo, backtracks
    std::uint64_t states = 0;  // states memoized (linearized set, register value, ...)
};

// Decides whether the operations of one key have a linearization, in at most
// `stepsMax` steps (else Unknown; its cheap skips of candidates are bounded at 32 a
// step). Outcomes: Ok completes at completeUs with its result;
// Info and Pending may take effect at any time after their invocation or never (their
// completion is +infinity and their result free); Fail operations must not be passed.
// Operations whose completion equals another's invocation count as concurrent.
// A pure function of its input (and its order only for equal invocation times).
SearchResult search(std::span<const Operation> ops, std::uint64_t stepsMax);

}  // namespace sim::lin
