// The sequential specification the histories are checked against: one integer register
// per key, initially 0 (sim::KvStore without the log). Put sets the value and returns 1,
// get returns it, cas(expected, new) swaps and returns 1 if the value equals expected,
// else returns 0 and changes nothing.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/clients.hpp"
#include "sim/kv.hpp"

namespace sim::lin {

using Value = std::uint32_t;

// The register after `op` ran on `value`, or nothing if the op's recorded result is
// impossible there. Only an Ok operation's result is known; any other result is free.
inline std::optional<Value> step(Value value, const Operation& op) {
    const KvCommand& c = op.command;
    const bool known = op.outcome == Outcome::Ok;
    switch (c.op) {
        case KvOp::Put:
            if (known && op.result != 1) return std::nullopt;
            return c.value & KvCommand::kValueMask;
        case KvOp::Get:
            if (known && op.result != value) return std::nullopt;
            return value;
        case KvOp::Cas: {
            const bool swaps = value == (c.expected & KvCommand::kValueMask);
            if (known && op.result != (swaps ? 1u : 0u)) return std::nullopt;
            return swaps ? (c.value & KvCommand::kValueMask) : value;
        }
        case KvOp::Register: return value;  // never in a history
    }
    return std::nullopt;
}

}  // namespace sim::lin
