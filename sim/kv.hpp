// The replicated state machine of the workload: a few integer registers with put, get
// and compare-and-set, encoded in an entry's 64-bit payload.
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace sim {

enum class KvOp : std::uint8_t { Put, Get, Cas };

struct KvCommand {
    KvOp op = KvOp::Get;
    std::uint8_t key = 0;
    std::uint32_t value = 0;     // put: the new value; cas: the new value
    std::uint32_t expected = 0;  // cas: the value it must replace

    static constexpr std::uint32_t kValueMask = (1u << 24) - 1;

    friend bool operator==(const KvCommand&, const KvCommand&) = default;

    std::uint64_t encode() const {
        return static_cast<std::uint64_t>(op) | (std::uint64_t{key} << 2) |
               (std::uint64_t{value & kValueMask} << 10) |
               (std::uint64_t{expected & kValueMask} << 34);
    }
    static KvCommand decode(std::uint64_t data) {
        return {static_cast<KvOp>(data & 3u), static_cast<std::uint8_t>((data >> 2) & 0xFFu),
                static_cast<std::uint32_t>((data >> 10) & kValueMask),
                static_cast<std::uint32_t>((data >> 34) & kValueMask)};
    }
};

class KvStore {
public:
    explicit KvStore(int keys) : values_(static_cast<std::size_t>(keys), 0) {}

    // Applies one committed entry; returns the result (get: the value; put: 1; cas: 1 if
    // it swapped, 0 if not). No-ops and unknown keys change nothing.
    std::uint64_t apply(const raft::Entry& entry) {
        if (entry.kind != raft::EntryKind::Command) return 0;
        const KvCommand c = KvCommand::decode(entry.data);
        if (c.key >= values_.size()) return 0;
        std::uint32_t& v = values_[c.key];
        switch (c.op) {
            case KvOp::Put: v = c.value; return 1;
            case KvOp::Get: return v;
            case KvOp::Cas:
                if (v != c.expected) return 0;
                v = c.value;
                return 1;
        }
        return 0;
    }

    // A read served without the log (thesis §6.4): the value a get of `command` returns
    // now, as apply would.
    std::uint64_t read(const KvCommand& command) const {
        return command.key < values_.size() ? values_[command.key] : 0;
    }

private:
    std::vector<std::uint32_t> values_;
};

}  // namespace sim
