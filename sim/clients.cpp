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

Clients::Clients(const WorkloadConfig& config, int nodes, Choices rng, bool readsBypassLog)
    : config_(config),
      nodes_(nodes),
      rng_(rng),
      clients_(static_cast<std::size_t>(config.clients)),
      readsBypassLog_(readsBypassLog) {
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
    s.entry = raft::Entry{.kind = raft::EntryKind::Command,
                          .clientId = static_cast<std::uint32_t>(c + 1),
                          .seq = s.seq,
                          .data = command.encode()};
    return ClientRequest{c, s.target, s.entry};
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

void Clients::timeout(int c, Micros now) {
    if (!clients_[c].op) return;
    finish(c, Outcome::Info, 0, now);
    clients_[c].target = static_cast<raft::NodeId>(draw(c, nodes_));
}

std::optional<ClientRequest> Clients::onReply(raft::NodeId node, const raft::ProposeReply& reply) {
    const int c = static_cast<int>(reply.clientId) - 1;
    if (c < 0 || c >= count()) return std::nullopt;
    State& s = clients_[c];
    if (!s.op || s.seq != reply.seq || s.accepted) return std::nullopt;
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
    const int c = static_cast<int>(reply.clientId) - 1;
    if (c < 0 || c >= count() || !waitsOnRead(c) || clients_[c].seq != reply.seq) return std::nullopt;
    if (!reply.accepted) return retry(c, node, reply.leaderHint);
    clients_[c].target = node;
    finish(c, Outcome::Ok, kv.read(history_[*clients_[c].op].command), now);
    return std::nullopt;
}

void Clients::onApplied(raft::NodeId node, raft::Index index, const raft::Entry& entry,
                        std::uint64_t result, Micros now) {
    for (int c = 0; c < count(); ++c) {
        State& s = clients_[c];
        if (!s.accepted || s.accepted->node != node || s.accepted->index != index) continue;
        const bool ours = entry.clientId == static_cast<std::uint32_t>(c + 1) && entry.seq == s.seq &&
                          entry.term == s.accepted->term;
        // Another entry committed at our index: ours can never commit (§5.3).
        finish(c, ours ? Outcome::Ok : Outcome::Fail, ours ? result : 0, now);
    }
}

}  // namespace sim
