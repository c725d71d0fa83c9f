// One state of the model: the nodes (interned), what the environment knows of each
// (up or crashed, armed timers, durable state), the bag of messages in flight, and the
// history the invariants need (who led each term, what was committed at each index).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/types.hpp"
#include "sim/mc/bounds.hpp"

namespace mc {

// Per-node environment bits.
enum EnvBit : std::uint8_t {
    kUp = 1,
    kElectionArmed = 2,
    kHeartbeatArmed = 4,
};

// One distinct message in flight and how many copies of it; with FIFO links
// (Bounds::fifo), its place on its link (0: the oldest, the one that may arrive).
struct BagItem {
    std::uint32_t msg = 0;  // Tables::msgs id
    std::uint16_t count = 0;
    std::uint16_t place = 0;
    friend bool operator==(const BagItem&, const BagItem&) = default;
};

// A committed entry as the history records it: the packed entry (never 0) and the
// lowest term at which some node was seen to have committed it. 0: nothing committed.
struct Committed {
    static std::uint32_t pack(std::uint16_t entry, raft::Term term) {
        return (static_cast<std::uint32_t>(term) << 16) | entry;
    }
    static std::uint16_t entry(std::uint32_t word) { return static_cast<std::uint16_t>(word); }
    static raft::Term term(std::uint32_t word) { return word >> 16; }
};

struct State {
    std::array<std::uint32_t, kMaxNodes> node{};     // Tables::nodes id
    std::array<std::uint32_t, kMaxNodes> durable{};  // Tables::durables id (crashes on)
    // Tables::pendings id + 1 of the node's writes in flight; 0: none (async writes only).
    std::array<std::uint32_t, kMaxNodes> pending{};
    std::array<std::uint8_t, kMaxNodes> env{};       // EnvBit
    std::uint8_t crashes = 0;
    std::array<raft::NodeId, kMaxTerm + 1> leaderOf{};  // kNoNode: no leader yet
    std::array<std::uint32_t, kMaxLog + 1> committed{};  // by index, see Committed
    std::vector<BagItem> bag;  // sorted by MsgItem::sortKey
    // Reads and transfers (Bounds::reads, Bounds::transfers): how many were invoked, and
    // for read k (seq k + 1) the highest index committed when it was invoked, which its
    // answer must have applied (the read-freshness property).
    std::uint8_t transfers = 0;
    std::uint8_t reads = 0;
    std::array<std::uint8_t, kMaxReads> readFloor{};
    // Membership changes and snapshots invoked over the path (Bounds::configChanges,
    // Bounds::snapshots).
    std::uint8_t configChanges = 0;
    std::uint8_t snapshots = 0;

    friend bool operator==(const State&, const State&) = default;
};

// A state packed into bytes, each number as a varint (frontiers hold tens of millions
// of states, read once in order; most of their numbers are small ids).
class Codec {
public:
    explicit Codec(const Bounds& b) : bounds_(b) {}
    void encode(const State& s, std::vector<std::uint8_t>& out) const;
    // Decodes the state starting at bytes[pos]; advances pos past it.
    void decode(const std::uint8_t* bytes, std::size_t& pos, State& s) const;

    // Unsigned LEB128: seven bits a byte, the high bit set on all but the last.
    static void put(std::uint64_t value, std::vector<std::uint8_t>& out) {
        while (value >= 0x80) {
            out.push_back(static_cast<std::uint8_t>(value | 0x80));
            value >>= 7;
        }
        out.push_back(static_cast<std::uint8_t>(value));
    }
    static std::uint64_t take(const std::uint8_t* bytes, std::size_t& pos) {
        std::uint64_t value = 0;
        for (int shift = 0;; shift += 7) {
            const std::uint8_t b = bytes[pos++];
            value |= std::uint64_t{b & 0x7Fu} << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

private:
    Bounds bounds_;
};

}  // namespace mc
