#include "sim/seamcheck/node_slot.hpp"

#include <algorithm>

#include "core/assert.hpp"

namespace mc::seam {

std::uint16_t EntryIds::of(const raft::Entry& e) {
    const auto it = std::find(seen_.begin(), seen_.end(), e);
    if (it != seen_.end()) return static_cast<std::uint16_t>(it - seen_.begin() + 1);
    RAFT_ASSERT(seen_.size() < 0xFFFF, "more distinct committed entries than the history can number");
    seen_.push_back(e);
    return static_cast<std::uint16_t>(seen_.size());
}

void feed(sim::NodeUnderTest& node, const Given& given, raft::Actions& out) {
    if (given.timeout) {
        node.exploreTimeout(std::get<raft::Timeout>(given.input).timer, out);
    } else {
        node.step(given.input, out);
    }
}

}  // namespace mc::seam
