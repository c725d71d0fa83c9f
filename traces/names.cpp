#include "traces/names.hpp"

namespace traces {

namespace {

// Finds the enum value whose name is `text`, trying values 0..count-1.
template <typename E, typename Namer>
std::optional<E> parseByName(std::string_view text, int count, Namer namer) {
    for (int v = 0; v < count; ++v) {
        if (namer(static_cast<E>(v)) == text) return static_cast<E>(v);
    }
    return std::nullopt;
}

}  // namespace

std::string_view name(sim::EventKind kind) {
    switch (kind) {
        case sim::EventKind::Deliver: return "deliver";
        case sim::EventKind::Timer: return "timer";
        case sim::EventKind::DiskDone: return "disk-done";
        case sim::EventKind::ClientWake: return "client-wake";
        case sim::EventKind::ClientArrive: return "client-arrive";
        case sim::EventKind::Nemesis: return "nemesis";
        case sim::EventKind::HealNetwork: return "heal-network";
        case sim::EventKind::Restart: return "restart";
        case sim::EventKind::Liveness: return "liveness";
        case sim::EventKind::End: return "end";
        case sim::EventKind::Transfer: return "transfer";
        case sim::EventKind::Membership: return "membership";
    }
    return "?";
}

std::string_view faultName(sim::Nemesis kind) {
    return kind == sim::Nemesis::Count_ ? "none" : sim::name(kind);
}

std::string_view name(sim::KvOp op) {
    switch (op) {
        case sim::KvOp::Put: return "put";
        case sim::KvOp::Get: return "get";
        case sim::KvOp::Cas: return "cas";
        case sim::KvOp::Register: return "register";
    }
    return "?";
}

std::optional<sim::EventKind> parseEventKind(std::string_view text) {
    return parseByName<sim::EventKind>(text, static_cast<int>(sim::EventKind::Membership) + 1,
                                       [](sim::EventKind k) { return name(k); });
}

std::optional<sim::Nemesis> parseFault(std::string_view text) {
    return parseByName<sim::Nemesis>(text, static_cast<int>(sim::Nemesis::Count_) + 1, faultName);
}

std::optional<sim::KvOp> parseKvOp(std::string_view text) {
    return parseByName<sim::KvOp>(text, 3, [](sim::KvOp op) { return name(op); });
}

std::optional<sim::Outcome> parseOutcome(std::string_view text) {
    return parseByName<sim::Outcome>(text, static_cast<int>(sim::Outcome::Info) + 1,
                                     [](sim::Outcome o) { return sim::name(o); });
}

std::optional<raft::MsgKind> parseMsgKind(std::string_view text) {
    return parseByName<raft::MsgKind>(text, static_cast<int>(raft::MsgKind::InstallSnapshot) + 1,
                                      [](raft::MsgKind k) { return raft::name(k); });
}

std::optional<raft::Role> parseRole(std::string_view text) {
    return parseByName<raft::Role>(text, 4, [](raft::Role r) { return raft::name(r); });
}

}  // namespace traces
