// Hand-built client histories: one line an operation, times in microseconds.
#pragma once

#include <vector>

#include "sim/clients.hpp"

namespace lintest {

using sim::KvOp;
using sim::Operation;
using sim::Outcome;

inline Operation make(int client, KvOp kind, std::uint8_t key, std::uint32_t value, std::uint32_t expected,
                      sim::Micros invoke, sim::Micros complete, Outcome outcome, std::uint64_t result) {
    static std::uint32_t seq = 0;
    return Operation{.client = client,
                     .seq = ++seq,
                     .command = {.op = kind, .key = key, .value = value, .expected = expected},
                     .invokeUs = invoke,
                     .completeUs = complete,
                     .outcome = outcome,
                     .result = result};
}

// Completed operations (Ok) with their results; key 0 unless given.
inline Operation put(int c, std::uint32_t v, sim::Micros inv, sim::Micros comp, std::uint8_t key = 0) {
    return make(c, KvOp::Put, key, v, 0, inv, comp, Outcome::Ok, 1);
}
inline Operation get(int c, std::uint64_t r, sim::Micros inv, sim::Micros comp, std::uint8_t key = 0) {
    return make(c, KvOp::Get, key, 0, 0, inv, comp, Outcome::Ok, r);
}
inline Operation cas(int c, std::uint32_t e, std::uint32_t v, std::uint64_t r, sim::Micros inv, sim::Micros comp,
                     std::uint8_t key = 0) {
    return make(c, KvOp::Cas, key, v, e, inv, comp, Outcome::Ok, r);
}

// The same operation with another outcome (its result then means nothing).
inline Operation as(Operation op, Outcome outcome) {
    op.outcome = outcome;
    if (outcome != Outcome::Ok) op.result = 0;
    return op;
}

}  // namespace lintest
