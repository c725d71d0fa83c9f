// canonical/raft's exploration hooks (sim/node_seam.hpp) for `raftsim check --impl
// canonical` (sim/seamcheck/): a fingerprint of what decides the node's next moves, and
// the abstract timer event as ticks. No clone: a `struct raft` owns C allocations and
// callbacks into this node, so the explorer replays a node's inputs instead.
#include "core/hash.hpp"
#include "sim/canonical/canonical_node.hpp"
#include "sim/canonical/codec.hpp"
#include "sim/mc/value_hash.hpp"

namespace sim::canonical {

namespace {

bool acts(const raft::Actions& out, std::size_t from) {
    for (std::size_t k = from; k < out.size(); ++k) {
        if (!std::holds_alternative<raft::ArmTimer>(out[k]) && !std::holds_alternative<raft::CancelTimer>(out[k])) {
            return true;
        }
    }
    return false;
}

}  // namespace

// Covered: the adapter's storage (term, vote, log), what it has applied and the writes
// it awaits; the library's term, vote, commit and applied indexes, last stored index,
// log length, configuration indexes, role, known leader, votes (and whether they are
// pre-votes or a transfer's), and a leader's per-server progress (state, next and match
// index, whether heard from recently), promotion round and transfer target. Left out:
// the clock (election_timer_start, randomized_election_timeout, the progress'
// last_send) and the random stream. The explorer's timer event is abstract (tick until
// the node acts, exploreTimeout below), so how much time a timer has left is not a
// distinction it makes: two nodes that differ only there are one state, and the first
// reached stands for both.
std::optional<std::uint64_t> CanonicalNode::fingerprint() const {
    raft::Hasher h;
    h.add(std::uint64_t{started_} | std::uint64_t{bootstrapDurable_} << 1);
    h.add(term_);
    h.add(vote_);
    h.add(log_.size());
    for (const raft::Entry& e : log_) mc::addEntry(h, e);
    h.add(applied_);
    h.add(writes_.size() | earlyAcks_.size() << 16);
    for (const Write& w : writes_) h.add(w.last | (w.bootstrap ? 1ull << 63 : 0) | (w.cb != nullptr ? 1ull << 62 : 0));
    if (!started_) return h.digest();
    auto& r = const_cast<canonical_raft&>(raft_);  // raft.h's getters take a non-const raft
    h.add(r.state);
    h.add(r.current_term);
    h.add(r.voted_for);
    h.add(r.commit_index);
    h.add(r.last_applied);
    h.add(r.last_stored);
    h.add(raft_last_index(&r));
    h.add(r.configuration_index);
    h.add(r.configuration_uncommitted_index);
    h.add(r.configuration.n);
    switch (r.state) {
        case RAFT_FOLLOWER: h.add(r.follower_state.current_leader.id); break;
        case RAFT_CANDIDATE:
            h.add(std::uint64_t{r.candidate_state.disrupt_leader} | std::uint64_t{r.candidate_state.in_pre_vote} << 1);
            for (unsigned i = 0; i < r.configuration.n; ++i) h.add(r.candidate_state.votes[i]);
            break;
        case RAFT_LEADER:
            for (unsigned i = 0; i < r.configuration.n; ++i) {
                const raft_progress& p = r.leader_state.progress[i];
                h.add(p.state | std::uint64_t{p.recent_recv} << 8);
                h.add(p.next_index);
                h.add(p.match_index);
            }
            h.add(r.leader_state.promotee_id);
            h.add(r.leader_state.round_number);
            h.add(r.leader_state.round_index);
            h.add(r.transfer != nullptr ? r.transfer->id : 0);
            break;
        default: break;
    }
    return h.digest();
}

// The library keeps its own timers against a clock that moves by ticks (the heartbeat
// timeout each). The explorer's timer event ticks until the node acts (sends, writes,
// or changes role, term or leader), at most as many ticks as the longest election
// timeout takes, plus two.
void CanonicalNode::exploreTimeout(raft::Timer timer, raft::Actions& out) {
    if (timer != raft::Timer::Heartbeat || tickMs_ == 0) return step(raft::Timeout{timer}, out);
    const unsigned electionMs = raft_.election_timeout;
    const unsigned most = 2 * electionMs / tickMs_ + 2;
    const NodeView before = view();
    for (unsigned k = 0; k < most; ++k) {
        const std::size_t from = out.size();
        step(raft::Timeout{timer}, out);
        const NodeView now = view();
        if (acts(out, from) || now.role != before.role || now.currentTerm != before.currentTerm ||
            now.leaderId != before.leaderId) {
            return;
        }
    }
}

}  // namespace sim::canonical
