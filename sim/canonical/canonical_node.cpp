#include "sim/canonical/canonical_node.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/assert.hpp"
#include "core/node.hpp"
#include "sim/canonical/codec.hpp"

namespace sim::canonical {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 does not deduce aggregates

// The node's stream of io->random draws: from its id and what its disk holds, so that
// every incarnation draws anew and the same run draws the same.
std::uint64_t seedOf(const raft::Config& config, const raft::DurableState& durable) {
    std::uint64_t seed = 0x6361'6e6f'6e69'6361ULL ^ config.id;
    seed = seed * 0x9e3779b97f4a7c15ULL + durable.currentTerm;
    seed = seed * 0x9e3779b97f4a7c15ULL + durable.votedFor;
    seed = seed * 0x9e3779b97f4a7c15ULL + durable.log.size();
    return seed * 0x9e3779b97f4a7c15ULL + (durable.log.empty() ? 0 : durable.log.back().term);
}

unsigned millis(raft::Micros us) { return static_cast<unsigned>(std::max<raft::Micros>(1, us / 1000)); }

void applyDone(struct raft_apply* req, int, void*) { raft_free(req); }

}  // namespace

CanonicalNode::CanonicalNode(const raft::Config& config, const raft::DurableState& durable, Flaw flaw)
    : config_(config),
      flaw_(flaw),
      rng_(seedOf(config, durable)),
      bootstrapDurable_(!durable.log.empty()),
      term_(durable.currentTerm),
      vote_(durable.votedFor),
      log_(durable.log) {
    installIo(*this);
    const int rv = raft_init(&raft_, &io_, &fsm_, serverId(config.id), address(config.id));
    RAFT_ASSERT(rv == 0, "raft_init: {}", raft_strerror(rv));
    initialized_ = true;
    raft_.tracer = &tracer_;
    // canonical/raft randomizes the election timeout in [T, 2T]; raftsim's default range
    // is [150, 300] ms, so T is the lower end.
    raft_set_election_timeout(&raft_, millis(config.electionTimeoutMinUs));
    raft_set_heartbeat_timeout(&raft_, millis(config.heartbeatIntervalUs));
    raft_set_snapshot_threshold(&raft_, ~0u);  // never: the seam has no snapshots yet
    raft_set_pre_vote(&raft_, config.preVote);
}

CanonicalNode::~CanonicalNode() {
    // raft_close completes synchronously: our io's close cancels the pending writes and
    // calls the library's close callback before returning.
    if (initialized_) raft_close(&raft_, nullptr);
}

void CanonicalNode::step(const raft::Input& input, raft::Actions& out) {
    out_ = &out;
    const std::size_t first = out.size();
    std::visit(Overloaded{
                   [&](const raft::Start&) { start(); },
                   [&](const raft::Receive& r) { receive(r.message); },
                   [&](const raft::Timeout& t) {
                       if (t.timer == raft::Timer::Heartbeat) tick();
                   },
                   [&](const raft::Propose& p) { propose(std::span(&p.entry, 1)); },
                   [&](const raft::ProposeBatch& b) { propose(b.entries); },
                   [&](const raft::Persisted& p) { persisted(p); },
                   [&](const raft::TransferLeadership& t) { transfer(t.target); },
                   // canonical/raft 0.15 has no read index: every read is refused.
                   [&](const raft::Read& r) {
                       emit(raft::ReadReply{.clientId = r.clientId, .seq = r.seq});
                   },
                   // The adapter does not drive canonical/raft's membership changes yet:
                   // every change is refused, as by a node that is not the leader.
                   [&](const raft::ChangeMembership& c) {
                       emit(raft::ChangeReply{.kind = c.kind, .node = c.node,
                                              .reason = raft::ChangeRefusal::NotLeader});
                   },
                   // Not wired: the adapter's environment never takes snapshots yet.
                   [&](const raft::TakeSnapshot&) {
                       RAFT_ASSERT(false, "node {}: snapshots are not carried to canonical/raft",
                                   config_.id);
                   },
               },
               input);
    finishStep(first);
    out_ = nullptr;
}

void CanonicalNode::start() {
    RAFT_ASSERT(!started_, "node {} started twice", config_.id);
    if (log_.empty()) {
        raft_configuration conf;
        bootstrapConfiguration(config_.clusterSize, conf);
        const int rv = raft_bootstrap(&raft_, &conf);
        raft_configuration_close(&conf);
        RAFT_ASSERT(rv == 0 || !failure_.empty(), "raft_bootstrap: {}", raft_strerror(rv));
    }
    if (!failure_.empty()) return;
    const int rv = raft_start(&raft_);
    RAFT_ASSERT(rv == 0 || !failure_.empty(), "raft_start: {}: {}", raft_strerror(rv),
                raft_errmsg(&raft_));
    started_ = rv == 0;
    // The first tick at a phase the world draws, then one every tickMs_ (the interval the
    // library asks its I/O for: its heartbeat timeout).
    const raft::Micros tickUs = raft::Micros{tickMs_} * 1000;
    emit(raft::ArmTimer{raft::Timer::Heartbeat, 1, tickUs});
}

void CanonicalNode::receive(const raft::Message& m) {
    if (!started_) return;
    raft_message message = toCanonical(m);
    answering_ = m.kind == raft::MsgKind::AppendEntries ? m.prevLogIndex + m.entries.size() : 0;
    recvCb_(&io_, &message);
    answering_ = 0;
}

void CanonicalNode::tick() {
    if (!started_) return;
    nowMs_ += tickMs_;
    const raft::Micros tickUs = raft::Micros{tickMs_} * 1000;
    emit(raft::ArmTimer{raft::Timer::Heartbeat, tickUs, tickUs});
    tickCb_(&io_);
}

// All commands in one raft_apply: one log write and one message per follower.
void CanonicalNode::propose(std::span<const raft::Entry> commands) {
    const raft::Index index = raft_last_index(&raft_) + 1;
    const raft::Term term = raft_.current_term;
    int rv = RAFT_NOTLEADER;
    if (started_ && raft_.state == RAFT_LEADER) {
        std::vector<raft_buffer> bufs;
        for (const raft::Entry& c : commands) bufs.push_back(commandBuffer(c));
        auto* req = static_cast<struct raft_apply*>(raft_calloc(1, sizeof(struct raft_apply)));
        rv = raft_apply(&raft_, req, bufs.data(), static_cast<unsigned>(bufs.size()), applyDone);
        if (rv != 0) {
            for (raft_buffer& b : bufs) raft_free(b.base);
            raft_free(req);
        }
    }
    raft_id leader = 0;
    const char* leaderAddress = nullptr;
    if (started_) raft_leader(&raft_, &leader, &leaderAddress);
    for (std::size_t k = 0; k < commands.size(); ++k) {
        raft::ProposeReply reply{.clientId = commands[k].clientId, .seq = commands[k].seq};
        if (rv == 0) {
            reply.accepted = true;
            reply.index = index + k;
            reply.term = term;
        } else {
            reply.leaderHint = nodeId(leader);
        }
        emit(reply);
    }
}

// The oldest write in flight is durable (the world completes writes in the order they
// were issued, with one Persisted each): an append's callback runs now.
void CanonicalNode::persisted(const raft::Persisted& p) {
    RAFT_ASSERT(!writes_.empty(), "node {}: Persisted without a write in flight", config_.id);
    const Write done = writes_.front();
    writes_.pop_front();
    RAFT_ASSERT(done.append == nullptr || p.lastIndex >= done.last,
                "node {}: an append up to {} completed with the disk at {}", config_.id, done.last,
                p.lastIndex);
    if (done.bootstrap) bootstrapDurable_ = true;
    answering_ = done.answers;
    if (done.cb != nullptr) done.cb(done.append, 0);
    answering_ = 0;
}

void CanonicalNode::persistHardState() {
    emit(raft::PersistHardState{term_, vote_});
    writes_.push_back(Write{});
}

void CanonicalNode::completeSends(int status) {
    while (!sends_.empty()) {
        std::vector<SendDone> done;
        done.swap(sends_);
        for (const SendDone& s : done) {
            if (s.cb != nullptr) s.cb(s.req, status);
        }
    }
}

// After the library call of a step: sends complete, newly applied entries go out in one
// Apply, and a library that gave up (RAFT_UNAVAILABLE) is a finding.
void CanonicalNode::finishStep(std::size_t firstAction) {
    completeSends(0);
    if (!earlyAcks_.empty()) {
        std::vector<Write> acks;
        acks.swap(earlyAcks_);
        for (const Write& w : acks) w.cb(w.append, 0);
        completeSends(0);
        // The acknowledgements overtake the writes they acknowledge.
        std::stable_partition(out_->begin() + static_cast<std::ptrdiff_t>(firstAction), out_->end(),
                              [](const raft::Action& a) {
                                  return !std::holds_alternative<raft::PersistEntries>(a) &&
                                         !std::holds_alternative<raft::PersistHardState>(a);
                              });
    }
    if (!failure_.empty()) throw raft::InvariantFailure(failure_);
    if (!started_) return;
    RAFT_ASSERT(raft_.state != RAFT_UNAVAILABLE, "canonical/raft node {} shut down: {}", config_.id,
                raft_errmsg(&raft_));
    RAFT_ASSERT(flaw_ == Flaw::TruncateOffByOne || raft_last_index(&raft_) == log_.size(),
                "node {}: the library's log ends at {}, its I/O's at {}", config_.id,
                raft_last_index(&raft_), log_.size());
    const raft::Index applied = bootstrapDurable_ ? raft_.last_applied : 0;
    if (applied > applied_) {
        emit(raft::Apply{applied_ + 1, applied});
        applied_ = applied;
    }
}

NodeView CanonicalNode::view() const {
    NodeView v{.id = config_.id,
               .role = raft::Role::Follower,
               .currentTerm = term_,
               .votedFor = vote_,
               .lastIndex = log_.size(),
               .lastTerm = log_.empty() ? 0 : log_.back().term};
    if (!started_) return v;
    auto& r = const_cast<canonical_raft&>(raft_);  // raft.h's getters take a non-const raft
    switch (r.state) {
        case RAFT_CANDIDATE:
            v.role = r.candidate_state.in_pre_vote ? raft::Role::PreCandidate : raft::Role::Candidate;
            break;
        case RAFT_LEADER: v.role = raft::Role::Leader; break;
        default: break;
    }
    v.currentTerm = r.current_term;
    v.votedFor = nodeId(r.voted_for);
    raft_id leader = 0;
    const char* leaderAddress = nullptr;
    raft_leader(&r, &leader, &leaderAddress);
    v.leaderId = nodeId(leader);
    v.commitIndex = bootstrapDurable_ ? r.commit_index : 0;
    if (r.state == RAFT_LEADER && r.transfer != nullptr) v.transferTarget = nodeId(r.transfer->id);
    return v;
}

// Leadership transfer (thesis §3.10) through raft_transfer: the library picks the
// target for 0, refuses proposals while it transfers, sends TimeoutNow once the target
// is up to date, and gives up after an election timeout.
void CanonicalNode::transfer(raft::NodeId target) {
    using raft::TransferRefusal;
    auto refuse = [&](TransferRefusal why) { emit(raft::TransferReply{false, target, why}); };
    if (!started_ || raft_.state != RAFT_LEADER) return refuse(TransferRefusal::NotLeader);
    if (raft_.transfer != nullptr) return refuse(TransferRefusal::InProgress);
    if (target != raft::kNoNode && target >= config_.clusterSize) return refuse(TransferRefusal::UnknownTarget);
    transfer_ = {};
    // For "any", the follower with the highest match index (ties to the lowest id), as
    // raftsim's core chooses: the library's own choice may leave the message unaddressed.
    if (target == raft::kNoNode) target = mostUpToDateFollower();
    if (target == raft::kNoNode) return refuse(TransferRefusal::SelfTarget);
    const raft_id id = serverId(target);
    switch (raft_transfer(&raft_, &transfer_, id, [](struct raft_transfer*) {})) {
        case 0: return emit(raft::TransferReply{true, nodeId(transfer_.id), TransferRefusal::None});
        case RAFT_BADID:
        case RAFT_NOTFOUND: return refuse(TransferRefusal::SelfTarget);
        case RAFT_NOTLEADER: return refuse(TransferRefusal::NotLeader);
        default: return refuse(TransferRefusal::InProgress);
    }
}

raft::NodeId CanonicalNode::mostUpToDateFollower() const {
    raft::NodeId best = raft::kNoNode;
    raft_index bestMatch = 0;
    for (unsigned i = 0; i < raft_.configuration.n; ++i) {
        const raft::NodeId id = nodeId(raft_.configuration.servers[i].id);
        if (id == config_.id) continue;
        const raft_index match = raft_.leader_state.progress[i].match_index;
        if (best == raft::kNoNode || match > bestMatch || (match == bestMatch && id < best)) {
            best = id;
            bestMatch = match;
        }
    }
    return best;
}

std::span<const raft::Entry> CanonicalNode::entries(raft::Index first, raft::Index last) const {
    RAFT_ASSERT(first >= 1 && last <= log_.size() && first <= last + 1, "entries {}..{} of {}",
                first, last, log_.size());
    return std::span<const raft::Entry>(log_).subspan(first - 1, last + 1 - first);
}

}  // namespace sim::canonical
