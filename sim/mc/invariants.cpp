#include "sim/mc/invariants.hpp"

#include "core/membership.hpp"

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
    static raft::Index base(const Node& n) { return n.log().snapshotIndex(); }
    // A node campaigns only as a voter of the configuration it uses (thesis §4.1).
    static const raft::Membership& membership(const Node& n) { return n.membership(); }
    static bool wins(const Node& candidate, raft::NodeSet granted) {
        return candidate.membership().isVoter(candidate.id()) && candidate.membership().hasQuorum(granted);
    }
    static bool isConfiguration(const Node& n, raft::Index i) {
        return n.log().at(i).kind == raft::EntryKind::Configuration;
    }
    static raft::NodeSet voters(const Node& n) { return n.membership().voters; }
    static bool isVoter(const Node& n) { return n.membership().isVoter(n.id()); }
    static raft::Index configIndex(const Node& n) { return n.membershipIndex(); }
};

namespace {

// Thesis §4.2.3, the core's declared departures from figure 2: a RequestVote from a
// removed server (Node::fromRemovedServer says which) deposes no one and leaves the term
// alone, as does one that arrives while a leader is heard.
bool disregardsTerm(const raft::Message& m, const raft::Node& receiver) {
    if (m.kind != raft::MsgKind::RequestVote) return false;
    return receiver.fromRemovedServer(m) || (!m.leadershipTransfer && receiver.disregardsVotes());
}

}  // namespace

std::optional<McViolation> checkReceive(const raft::Message& m, const raft::Node& before, const raft::Node& after) {
    if (!disregardsTerm(m, before)) {
        if (auto v = rules::checkReceive(m, after)) return v;
    }
    return rules::checkTimeoutNow(m, before, after);
}

std::optional<McViolation> checkProposal(const raft::Node& before, const raft::Node& after) {
    return rules::checkTransferRefuses(before, after);
}

std::optional<McViolation> checkRead(const raft::Node& server, std::uint32_t seq, raft::Index readIndex,
                                     raft::Index floor) {
    return rules::checkReadFresh(server, seq, readIndex, floor);
}

// Terms take 4 bits (kMaxTerm); bit 4 marks a configuration, whose voters and learners
// (5 bits each, kMaxNodes) follow, so other entries pack as they always did.
std::uint16_t packEntry(const raft::Entry& e) {
    if (e.kind == raft::EntryKind::Configuration) {
        const raft::Membership m = raft::membershipOf(e);
        RAFT_ASSERT(e.term >= 1 && e.term <= kMaxTerm && m.members() < (1u << kMaxNodes), "term={} data={}", e.term,
                    e.data);
        return static_cast<std::uint16_t>(e.term | 0x10u | (m.voters << 5) | (m.learners << 10));
    }
    RAFT_ASSERT(e.term >= 1 && e.term <= kMaxTerm && e.data <= kMaxValues, "term={} data={}",
                e.term, e.data);
    return static_cast<std::uint16_t>(e.term | (static_cast<unsigned>(e.kind) << 5) |
                                      (e.data << 6));
}

std::optional<raft::Membership> packedMembership(std::uint16_t packed) {
    if ((packed & 0x10u) == 0) return std::nullopt;
    return raft::Membership{.voters = static_cast<raft::NodeSet>((packed >> 5) & 0x1Fu),
                            .learners = static_cast<raft::NodeSet>((packed >> 10) & 0x1Fu)};
}

std::uint16_t withMembership(std::uint16_t packed, const raft::Membership& m) {
    return static_cast<std::uint16_t>((packed & 0x1Fu) | (m.voters << 5) | (m.learners << 10));
}

std::optional<McViolation> checkStep(const raft::Node& before, const raft::Node& after,
                                     std::span<const raft::Node* const> others, State& next,
                                     Observed& seen) {
    return rules::checkStep(before, after, others, next, seen);
}

}  // namespace mc
