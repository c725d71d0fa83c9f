// The linearizability check of a run's client history against the key-value model:
// per key, a Wing & Gong / Lowe search within a budget; for a failing key, a small
// witness. A pure function of the history.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "sim/clients.hpp"
#include "sim/lin/verdict.hpp"
#include "sim/lin/witness.hpp"

namespace sim::lin {

struct Budget {
    std::uint64_t searchSteps = 1'000'000;  // per key; over it, the key is Unknown
    std::uint64_t witnessSteps = 2'000'000;  // shrinking a failing key's witness
};

struct KeyWitness {
    std::uint8_t key = 0;
    std::uint64_t keyOperations = 0;  // the key's operations searched (before shrinking)
    Witness witness;
};

struct Result {
    Verdict verdict = Verdict::Ok;
    std::uint64_t operations = 0;  // in the history, of every outcome
    std::uint64_t keys = 0;        // distinct keys the history touched
    std::uint64_t states = 0;      // explored by the searches (the witness's excluded)
    std::uint64_t steps = 0;       // the searches' steps (what the budget bounds)
    std::uint64_t unknownKeys = 0;  // keys whose search ran out of budget
    std::optional<KeyWitness> witness;  // Violated: the first failing key's
};

// Checks each key in ascending order; stops at the first key that is Violated. Verdict:
// Violated if a key is, else Unknown if a key is, else Ok.
Result check(std::span<const Operation> history, const Budget& budget = {});

// One line for a violation's details: the key, and the witness's operations with their
// invocation and completion times and results.
std::string describe(const KeyWitness& w);
// One operation: `c1#4 cas 5->7 -> 1 [1.203000s, 1.250000s]`; an unknown result reads
// `-> ?` and the completion `info` or `pending`.
std::string describe(const Operation& op);

}  // namespace sim::lin
