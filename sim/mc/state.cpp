#include "sim/mc/state.hpp"

#include "core/assert.hpp"

namespace mc {

// Layout: node ids; durable ids (crashes on); one word of env bits (3 per node) and the
// crash count; leaderOf at 4 bits per term (0xF: none); committed words for 1..maxLog;
// the bag size, then (msg id << 4 | count) per bag item.
void Codec::encode(const State& s, std::vector<std::uint32_t>& out) const {
    const int n = bounds_.nodes;
    for (int i = 0; i < n; ++i) out.push_back(s.node[i]);
    if (bounds_.maxCrashes > 0) {
        for (int i = 0; i < n; ++i) out.push_back(s.durable[i]);
    }
    std::uint32_t env = s.crashes;
    for (int i = 0; i < n; ++i) env |= std::uint32_t{s.env[i]} << (8 + 3 * i);
    out.push_back(env);
    std::uint64_t leaders = 0;
    for (int t = 1; t <= bounds_.maxTerm; ++t) {
        leaders |= std::uint64_t{static_cast<std::uint8_t>(s.leaderOf[t] & 0xF)} << (4 * (t - 1));
    }
    out.push_back(static_cast<std::uint32_t>(leaders));
    if (bounds_.maxTerm > 8) out.push_back(static_cast<std::uint32_t>(leaders >> 32));
    for (int i = 1; i <= bounds_.maxLog; ++i) out.push_back(s.committed[i]);
    out.push_back(static_cast<std::uint32_t>(s.bag.size()));
    for (const BagItem& b : s.bag) {
        RAFT_ASSERT(b.msg < (1u << 28) && b.count < 16, "msg={} count={}", b.msg, b.count);
        out.push_back(b.msg << 4 | b.count);
    }
}

void Codec::decode(const std::uint32_t* w, std::size_t& pos, State& s) const {
    const int n = bounds_.nodes;
    for (int i = 0; i < n; ++i) s.node[i] = w[pos++];
    if (bounds_.maxCrashes > 0) {
        for (int i = 0; i < n; ++i) s.durable[i] = w[pos++];
    }
    const std::uint32_t env = w[pos++];
    s.crashes = static_cast<std::uint8_t>(env & 0xFF);
    for (int i = 0; i < n; ++i) s.env[i] = static_cast<std::uint8_t>((env >> (8 + 3 * i)) & 7);
    std::uint64_t leaders = w[pos++];
    if (bounds_.maxTerm > 8) leaders |= std::uint64_t{w[pos++]} << 32;
    s.leaderOf.fill(raft::kNoNode);
    for (int t = 1; t <= bounds_.maxTerm; ++t) {
        const auto id = static_cast<raft::NodeId>((leaders >> (4 * (t - 1))) & 0xF);
        s.leaderOf[t] = id == 0xF ? raft::kNoNode : id;
    }
    for (int i = 1; i <= bounds_.maxLog; ++i) s.committed[i] = w[pos++];
    const std::uint32_t size = w[pos++];
    s.bag.resize(size);
    for (std::uint32_t k = 0; k < size; ++k) {
        s.bag[k] = BagItem{w[pos] >> 4, w[pos] & 0xF};
        ++pos;
    }
}

}  // namespace mc
