#include "sim/mc/state.hpp"

#include "core/assert.hpp"

namespace mc {

// Layout, each a varint: node ids; durable ids (crashes on); pending ids (async writes);
// env bits (3 per node) over
// the crash count; leaderOf at 4 bits per term (0xF: none); committed words for
// 1..maxLog; the bag size, then (msg id << 4 | count) per bag item; then, when the
// bounds allow them, the transfers invoked, the reads invoked with each one's floor,
// the membership changes invoked and the snapshots taken.
void Codec::encode(const State& s, std::vector<std::uint8_t>& out) const {
    const int n = bounds_.servers();
    for (int i = 0; i < n; ++i) put(s.node[i], out);
    if (bounds_.maxCrashes > 0) {
        for (int i = 0; i < n; ++i) put(s.durable[i], out);
    }
    if (bounds_.asyncWrites) {
        for (int i = 0; i < n; ++i) put(s.pending[i], out);
    }
    std::uint64_t env = s.crashes;
    for (int i = 0; i < n; ++i) env |= std::uint64_t{s.env[i]} << (8 + 3 * i);
    put(env, out);
    std::uint64_t leaders = 0;
    for (int t = 1; t <= bounds_.maxTerm; ++t) {
        leaders |= std::uint64_t{static_cast<std::uint8_t>(s.leaderOf[t] & 0xF)} << (4 * (t - 1));
    }
    put(leaders, out);
    for (int i = 1; i <= bounds_.maxLog; ++i) put(s.committed[i], out);
    put(s.bag.size(), out);
    for (const BagItem& b : s.bag) {
        RAFT_ASSERT(b.count < 16, "msg={} count={}", b.msg, b.count);
        put(std::uint64_t{b.msg} << 4 | b.count, out);
        if (bounds_.fifo) put(b.place, out);
    }
    if (bounds_.transfers > 0) put(s.transfers, out);
    if (bounds_.reads > 0) {
        put(s.reads, out);
        for (int k = 0; k < s.reads; ++k) put(s.readFloor[k], out);
    }
    if (bounds_.configChanges > 0) put(s.configChanges, out);
    if (bounds_.snapshots > 0) put(s.snapshots, out);
}

void Codec::decode(const std::uint8_t* w, std::size_t& pos, State& s) const {
    const int n = bounds_.servers();
    for (int i = 0; i < n; ++i) s.node[i] = static_cast<std::uint32_t>(take(w, pos));
    if (bounds_.maxCrashes > 0) {
        for (int i = 0; i < n; ++i) s.durable[i] = static_cast<std::uint32_t>(take(w, pos));
    }
    if (bounds_.asyncWrites) {
        for (int i = 0; i < n; ++i) s.pending[i] = static_cast<std::uint32_t>(take(w, pos));
    }
    const std::uint64_t env = take(w, pos);
    s.crashes = static_cast<std::uint8_t>(env & 0xFF);
    for (int i = 0; i < n; ++i) s.env[i] = static_cast<std::uint8_t>((env >> (8 + 3 * i)) & 7);
    const std::uint64_t leaders = take(w, pos);
    s.leaderOf.fill(raft::kNoNode);
    for (int t = 1; t <= bounds_.maxTerm; ++t) {
        const auto id = static_cast<raft::NodeId>((leaders >> (4 * (t - 1))) & 0xF);
        s.leaderOf[t] = id == 0xF ? raft::kNoNode : id;
    }
    for (int i = 1; i <= bounds_.maxLog; ++i) s.committed[i] = static_cast<std::uint32_t>(take(w, pos));
    const auto size = static_cast<std::size_t>(take(w, pos));
    s.bag.resize(size);
    for (std::size_t k = 0; k < size; ++k) {
        const std::uint64_t item = take(w, pos);
        s.bag[k] = BagItem{static_cast<std::uint32_t>(item >> 4), static_cast<std::uint16_t>(item & 0xF)};
        if (bounds_.fifo) s.bag[k].place = static_cast<std::uint16_t>(take(w, pos));
    }
    if (bounds_.transfers > 0) s.transfers = static_cast<std::uint8_t>(take(w, pos));
    if (bounds_.reads > 0) {
        s.reads = static_cast<std::uint8_t>(take(w, pos));
        s.readFloor.fill(0);
        for (int k = 0; k < s.reads; ++k) s.readFloor[k] = static_cast<std::uint8_t>(take(w, pos));
    }
    if (bounds_.configChanges > 0) s.configChanges = static_cast<std::uint8_t>(take(w, pos));
    if (bounds_.snapshots > 0) s.snapshots = static_cast<std::uint8_t>(take(w, pos));
}

}  // namespace mc
