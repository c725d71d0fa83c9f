#include "sim/canonical/canonical.hpp"

#include "core/node.hpp"

namespace sim::canonical {

std::string_view CanonicalImplementation::name() const {
    switch (flaw_) {
        case Flaw::None: return terms_ == Terms::Strict ? "canonical-strict" : "canonical";
        case Flaw::AckBeforeDurable: return "canonical-ack-before-durable";
        case Flaw::DropSetVote: return "canonical-drop-set-vote";
        case Flaw::TruncateOffByOne: return "canonical-truncate-off-by-one";
        case Flaw::Figure2Acks: return "canonical-figure2-acks";
    }
    return "canonical";
}

bool CanonicalImplementation::mayDisregardTerm(const raft::Message& m,
                                               const NodeView& receiver) const {
    if (terms_ == Terms::Strict) return false;
    switch (m.kind) {
        case raft::MsgKind::RequestVote: {
            const bool knowsLeader =
                receiver.role == raft::Role::Leader ||
                (receiver.role == raft::Role::Follower && receiver.leaderId != raft::kNoNode);
            return knowsLeader && !m.leadershipTransfer;  // disrupt_leader (codec.cpp)
        }
        case raft::MsgKind::RequestVoteResponse: return receiver.role != raft::Role::Candidate;
        case raft::MsgKind::AppendEntriesResponse: return receiver.role != raft::Role::Leader;
        // The library acts on a TimeoutNow only as a follower of its sender; any other
        // it ignores whole, term and all.
        case raft::MsgKind::TimeoutNow:
            return receiver.role != raft::Role::Follower || receiver.leaderId != m.from;
        default: return false;
    }
}

const Implementation& implementation() {
    static const CanonicalImplementation canonical;
    return canonical;
}

const Implementation& figure2AcksImplementation() {
    static const CanonicalImplementation patched(Flaw::Figure2Acks);
    return patched;
}

const Implementation& strictImplementation() {
    static const CanonicalImplementation strict(Flaw::None, Terms::Strict);
    return strict;
}

}  // namespace sim::canonical
