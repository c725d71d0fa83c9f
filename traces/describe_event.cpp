#include "traces/describe_event.hpp"

#include <fmt/format.h>

#include "sim/membership_ref.hpp"
#include "traces/names.hpp"

namespace traces {

namespace {

// "membership: n2 asked to add-voter n5 -> accepted" (sim/membership_ref.hpp).
std::string membershipStepName(const sim::EventRecord& e) {
    if (e.node == raft::kNoNode) return "membership: none asked";
    const raft::ChangeMembership change = sim::changeOf(e.ref);
    const std::optional<raft::ChangeReply> reply = sim::replyOf(e.ref);
    const std::string outcome = !reply            ? std::string(e.stepped ? "no reply yet: catching the server up" : "not delivered: node down or paused")
                                : reply->accepted ? std::string("accepted")
                                                  : fmt::format("refused: {}", raft::name(reply->reason));
    return fmt::format("membership: n{} asked to {} n{} -> {}", e.node, raft::name(change.kind), change.node,
                       outcome);
}

std::string stepKindName(const sim::EventRecord& e) {
    switch (e.kind) {
        case sim::EventKind::Deliver:
            return fmt::format("recv {} from n{} (term {})", raft::name(e.msgKind), e.from, e.msgTerm);
        case sim::EventKind::Timer:
            return e.ref == static_cast<std::uint32_t>(raft::Timer::Election) ? "election timer" : "heartbeat timer";
        case sim::EventKind::DiskDone: return "disk write done";
        case sim::EventKind::ClientArrive: return fmt::format("client {} request", e.ref);
        case sim::EventKind::ClientWake: return fmt::format("client {} wakes", e.ref);
        case sim::EventKind::Nemesis:
            return e.node == raft::kNoNode ? fmt::format("nemesis: {}", faultName(e.fault))
                                           : fmt::format("nemesis: {} n{}", faultName(e.fault), e.node);
        case sim::EventKind::HealNetwork: return "network heals";
        case sim::EventKind::Restart: return "restart";
        case sim::EventKind::Liveness: return "liveness phase: faults heal";
        case sim::EventKind::End: return "end";
        case sim::EventKind::Transfer: {
            const std::string target = e.ref == raft::kNoNode ? "the most up-to-date follower"
                                                              : fmt::format("n{}", e.ref);
            if (e.node == raft::kNoNode) return "transfer: none asked";
            return fmt::format("transfer: n{} asked to hand its leadership to {}", e.node, target);
        }
        case sim::EventKind::Membership: return membershipStepName(e);
    }
    return "?";
}

}  // namespace

// The event, and what log compaction it brought about (runs with snapshots).
std::string stepName(const sim::EventRecord& e) {
    std::string out = stepKindName(e);
    if (e.snapshotInstalled != 0) [[unlikely]] {
        out += fmt::format("; snapshot installed from leader (up to {})", e.snapshotInstalled);
    }
    if (e.snapshotTaken != 0) [[unlikely]] out += fmt::format("; snapshot taken at {}", e.snapshotTaken);
    return out;
}

std::string stateText(const sim::EventRecord& e) {
    if (!e.up) return "down";
    return fmt::format("{} t{} commit {} last {}", raft::name(e.role), e.term, e.commitIndex, e.lastIndex);
}

}  // namespace traces
