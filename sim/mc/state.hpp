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

// One distinct message in flight and how many copies of it.
struct BagItem {
    std::uint32_t msg = 0;  // Tables::msgs id
    std::uint32_t count = 0;
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
    std::array<std::uint8_t, kMaxNodes> env{};       // EnvBit
    std::uint8_t crashes = 0;
    std::array<raft::NodeId, kMaxTerm + 1> leaderOf{};  // kNoNode: no leader yet
    std::array<std::uint32_t, kMaxLog + 1> committed{};  // by index, see Committed
    std::vector<BagItem> bag;  // sorted by MsgItem::sortKey

    friend bool operator==(const State&, const State&) = default;
};

// A state packed into 32-bit words (frontiers hold millions of them).
class Codec {
public:
    explicit Codec(const Bounds& b) : bounds_(b) {}
    void encode(const State& s, std::vector<std::uint32_t>& out) const;
    // Decodes the state starting at words[pos]; advances pos past it.
    void decode(const std::uint32_t* words, std::size_t& pos, State& s) const;

private:
    Bounds bounds_;
};

}  // namespace mc
