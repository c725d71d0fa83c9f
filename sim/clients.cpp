#include "sim/clients.hpp"

namespace sim {

std::string_view name(Outcome outcome) {
    switch (outcome) {
        case Outcome::Pending: return "pending";
        case Outcome::Ok: return "ok";
        case Outcome::Fail: return "fail";
        case Outcome::Info: return "info";
    }
    return "?";
}

Clients::Clients(const WorkloadConfig& config, int nodes, Choices rng, bool readsBypassLog,
                 bool sessions)
    : config_(config),
      nodes_(nodes),
      rng_(rng),
      clients_(static_cast<std::size_t>(config.clients)),
      readsBypassLog_(readsBypassLog),
      sessions_(sessions) {
    for (int c = 0; c < count(); ++c) clients_[c].target = static_cast<raft::NodeId>(draw(c, nodes_));
}

std::uint64_t Clients::draw(int c, std::uint64_t bound) {
    if (rng_.recording()) [[unlikely]] draws_.push_back(ClientDraw{c, clients_[c].seq});
    return rng_.below(bound);
}

KvCommand Clients::randomCommand() {
    KvCommand c;
    c.op = static_cast<KvOp>(rng_.below(3));
    c.key = static_cast<std::uint8_t>(rng_.below(static_cast<std::uint64_t>(config_.keys)));
    c.value = static_cast<std::uint32_t>(rng_.below(100));
    c.expected = static_cast<std::uint32_t>(rng_.below(100));
    return c;
}

ClientRequest Clients::start(int c, Micros now, const KvCommand& command) {
    State& s = clients_[c];
    RAFT_ASSERT(!s.op, "client {} already waiting", c);
    s.seq += 1;
    s.op = history_.size();
    s.accepted.reset();
    history_.push_back(
        Operation{.client = c, .seq = s.seq, .command = command, .invokeUs = now, .invokeEvent = event()});
    current_ = c;
    const bool read = readsBypassLog_ && command.op == KvOp::Get;
    if (sessions_ && !s.session && !read) {
        // Registers first (thesis §6.3): the command follows once the session is open.
        s.entry = raft::Entry{.kind = raft::EntryKind::Command,
                              .clientId = kNoSessionBit | static_cast<std::uint32_t>(c + 1),
                              .seq = 0,
                              .data = KvCommand{.op = KvOp::Register}.encode()};
    } else {
        s.entry = commandEntry(c, command);
    }
    return ClientRequest{c, s.target, s.entry};
}

raft::Entry Clients::commandEntry(int c, const KvCommand& command) const {
    const State& s = clients_[c];
    std::uint32_t id = static_cast<std::uint32_t>(c + 1);
    if (sessions_) id = s.session ? *s.session : kNoSessionBit | id;
    return raft::Entry{.kind = raft::EntryKind::Command, .clientId = id, .seq = s.seq, .data = command.encode()};
}

int Clients::clientOf(std::uint32_t clientId, std::uint32_t seq) const {
    if (!sessions_) [[likely]] {
        const int c = static_cast<int>(clientId) - 1;
        return c >= 0 && c < count() ? c : -1;
    }
    for (int c = 0; c < count(); ++c) {
        const State& s = clients_[c];
        if (s.op && s.entry.clientId == clientId && s.entry.seq == seq) return c;
    }
    return -1;
}

void Clients::finish(int c, Outcome outcome, std::uint64_t result, Micros now) {
    State& s = clients_[c];
    Operation& op = history_[*s.op];
    op.outcome = outcome;
    op.result = result;
    op.completeUs = now;
    op.completeEvent = event();
    s.op.reset();
    s.accepted.reset();
    s.generation += 1;
}

std::optional<ClientRequest> Clients::timeout(int c, Micros now) {
    State& s = clients_[c];
    if (!s.op) return std::nullopt;
    if (sessions_) {
        // The request may have been applied or may be yet: the same one goes again, and
        // the session answers it once whichever copy applies first.
        s.accepted.reset();
        s.target = static_cast<raft::NodeId>(draw(c, nodes_));
        sessionCounts_.retried += 1;
        current_ = c;
        return ClientRequest{c, s.target, s.entry};
    }
    finish(c, Outcome::Info, 0, now);
    s.target = static_cast<raft::NodeId>(draw(c, nodes_));
    return std::nullopt;
}

std::optional<ClientRequest> Clients::onReply(raft::NodeId node, const raft::ProposeReply& reply) {
    const int c = clientOf(reply.clientId, reply.seq);
    if (c < 0) return std::nullopt;
    State& s = clients_[c];
    if (!s.op || s.entry.seq != reply.seq || s.accepted) return std::nullopt;
    if (reply.accepted) {
        s.accepted = Accepted{node, reply.index, reply.term};
        s.target = node;
        return std::nullopt;
    }
    // Refused: nothing entered a log, so the same request may go to another node.
    return retry(c, node, reply.leaderHint);
}

ClientRequest Clients::retry(int c, raft::NodeId refusedBy, raft::NodeId hint) {
    State& s = clients_[c];
    current_ = c;
    s.target = hint != raft::kNoNode && hint != refusedBy
                   ? hint
                   : static_cast<raft::NodeId>((refusedBy + 1 + draw(c, nodes_ - 1 + (nodes_ == 1))) % nodes_);
    return ClientRequest{c, s.target, s.entry};
}

bool Clients::waitsOnRead(int c) const {
    const State& s = clients_[c];
    return readsBypassLog_ && s.op && history_[*s.op].command.op == KvOp::Get;
}

std::optional<ClientRequest> Clients::onReadReply(raft::NodeId node, const raft::ReadReply& reply,
                                                  const KvStore& kv, Micros now) {
    const int c = clientOf(reply.clientId, reply.seq);
    if (c < 0 || !waitsOnRead(c) || clients_[c].seq != reply.seq) return std::nullopt;
    if (!reply.accepted) return retry(c, node, reply.leaderHint);
    clients_[c].target = node;
    finish(c, Outcome::Ok, kv.read(history_[*clients_[c].op].command), now);
    return std::nullopt;
}

void Clients::onApplied(raft::NodeId node, raft::Index index, const raft::Entry& entry,
                        const Answer& answer, Micros now) {
    for (int c = 0; c < count(); ++c) {
        State& s = clients_[c];
        if (!s.accepted || s.accepted->node != node || s.accepted->index != index) continue;
        const bool ours = entry.clientId == s.entry.clientId && entry.seq == s.entry.seq &&
                          entry.term == s.accepted->term;
        if (sessions_) {
            if (ours) {
                onAnswer(c, node, answer, now);
            } else {
                // This copy can never commit (§5.3), but another may have: the same
                // request goes again to the node, and its session tells.
                s.accepted.reset();
                s.target = node;
                sessionCounts_.retried += 1;
                outgoing_.push_back(ClientRequest{c, node, s.entry});
            }
            continue;
        }
        // Another entry committed at our index: ours can never commit (§5.3).
        finish(c, ours ? Outcome::Ok : Outcome::Fail, ours ? answer.value : 0, now);
    }
}

void Clients::onAnswer(int c, raft::NodeId node, const Answer& answer, Micros now) {
    State& s = clients_[c];
    if (s.entry.seq == 0) {  // the register: the command follows under the new session
        sessionCounts_.registered += 1;
        s.session = static_cast<std::uint32_t>(answer.value);
        s.entry = commandEntry(c, history_[*s.op].command);
        s.accepted.reset();
        outgoing_.push_back(ClientRequest{c, node, s.entry});
        return;
    }
    switch (answer.kind) {
        case AnswerKind::Applied: finish(c, Outcome::Ok, answer.value, now); break;
        case AnswerKind::Duplicate:
            sessionCounts_.duplicates += 1;
            finish(c, Outcome::Ok, answer.value, now);
            break;
        case AnswerKind::Expired:
            // An earlier copy may have applied before the session expired: unknown. The
            // next operation registers again.
            sessionCounts_.expired += 1;
            s.session.reset();
            finish(c, Outcome::Info, 0, now);
            break;
    }
}

}  // namespace sim
