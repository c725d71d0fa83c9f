#include "sim/mc/invariants.hpp"

namespace mc {

// The rules (sim/mc/invariants_rules.hpp) read raftsim's core directly.
template <>
struct NodeRead<raft::Node> {
    using Node = raft::Node;
    static raft::NodeId id(const Node& n) { return n.id(); }
    static raft::Role role(const Node& n) { return n.role(); }
    static raft::Term term(const Node& n) { return n.currentTerm(); }
    static raft::Index commit(const Node& n) { return n.commitIndex(); }
    static raft::Index lastIndex(const Node& n) { return n.log().lastIndex(); }
    static raft::Term lastTerm(const Node& n) { return n.log().lastTerm(); }
    static raft::Term termAt(const Node& n, raft::Index i) { return n.log().termAt(i); }
    static const raft::Entry& at(const Node& n, raft::Index i) { return n.log().at(i); }
    static bool upToDate(const Node& voter, raft::Index lastIndex, raft::Term lastTerm) {
        return voter.log().isUpToDate(lastIndex, lastTerm);
    }
    static int quorum(const Node& n) { return n.config().quorum(); }
    static bool sameLog(const Node& a, const Node& b) { return a.log() == b.log(); }
    static std::uint16_t pack(const Node&, const raft::Entry& e) { return packEntry(e); }
    static raft::Index applied(const Node& n) { return n.lastApplied(); }
    static raft::NodeId transferTarget(const Node& n) { return n.transferTarget(); }
};

std::optional<McViolation> checkReceive(const raft::Message& m, const raft::Node& before, const raft::Node& after) {
    if (auto v = rules::checkReceive(m, after)) return v;
    return rules::checkTimeoutNow(m, before, after);
}

std::optional<McViolation> checkProposal(const raft::Node& before, const raft::Node& after) {
    return rules::checkTransferRefuses(before, after);
}

std::optional<McViolation> checkRead(const raft::Node& server, std::uint32_t seq, raft::Index readIndex,
                                     raft::Index floor) {
    return rules::checkReadFresh(server, seq, readIndex, floor);
}

std::uint16_t packEntry(const raft::Entry& e) {
    RAFT_ASSERT(e.term >= 1 && e.term <= kMaxTerm && e.data <= kMaxValues, "term={} data={}",
                e.term, e.data);
    return static_cast<std::uint16_t>(e.term | (static_cast<unsigned>(e.kind) << 5) |
                                      (e.data << 6));
}

std::optional<McViolation> checkStep(const raft::Node& before, const raft::Node& after,
                                     std::span<const raft::Node* const> others, State& next,
                                     Observed& seen) {
    return rules::checkStep(before, after, others, next, seen);
}

}  // namespace mc
