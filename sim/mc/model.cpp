#include "sim/mc/model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/hash.hpp"
#include "sim/mc/dead.hpp"

namespace mc {

using raft::Node;
using raft::NodeId;

Model::Model(const Bounds& bounds)
    : bounds_(bounds),
      perms_(makePerms(bounds.nodes, bounds.symmetry)),
      codec_(bounds),
      tables_(bounds.nodes, perms_) {
    bounds_.configFor(0);  // validates
}

State Model::initial() {
    State s;
    s.leaderOf.fill(raft::kNoNode);
    const std::uint32_t empty = tracksDurable() ? tables_.durable(raft::DurableState{}) : 0;
    for (int i = 0; i < bounds_.nodes; ++i) {
        Node node(bounds_.configFor(static_cast<NodeId>(i)));
        const raft::Actions actions = node.step(raft::Start{});
        s.env[i] = kUp;
        s.durable[i] = empty;
        const bool ok = applyActions(i, actions, s);
        RAFT_ASSERT(ok, "node {} start sent messages", i);
        s.node[i] = tables_.node(node);
    }
    return s;
}

void Model::enabled(const State& s, std::vector<Event>& out) const {
    out.clear();
    for (int i = 0; i < bounds_.nodes; ++i) {
        const auto id = static_cast<NodeId>(i);
        if ((s.env[i] & kUp) == 0) {
            out.push_back(Event{.kind = EventKind::Restart, .node = id});
            continue;
        }
        const Node& n = node(s, i);
        const bool leader = n.role() == raft::Role::Leader;
        if ((s.env[i] & kElectionArmed) != 0 && !leader &&
            n.currentTerm() < static_cast<raft::Term>(bounds_.maxTerm)) {
            out.push_back(Event{.kind = EventKind::Timeout, .node = id, .timer = raft::Timer::Election});
        }
        if ((s.env[i] & kHeartbeatArmed) != 0) {
            out.push_back(Event{.kind = EventKind::Timeout, .node = id, .timer = raft::Timer::Heartbeat});
        }
        if (leader && n.log().lastIndex() < static_cast<raft::Index>(bounds_.maxLog)) {
            for (int v = 1; v <= bounds_.values; ++v) {
                out.push_back(Event{.kind = EventKind::Client, .node = id,
                                    .value = static_cast<std::uint32_t>(v)});
            }
        }
        if (s.crashes < bounds_.maxCrashes) out.push_back(Event{.kind = EventKind::Crash, .node = id});
    }
    for (const BagItem& item : s.bag) {
        const raft::Message& m = message(item.msg);
        if ((s.env[m.to] & kUp) != 0) {
            out.push_back(Event{.kind = EventKind::Deliver, .node = m.to, .msg = item.msg});
        }
        if (bounds_.drop) out.push_back(Event{.kind = EventKind::Drop, .node = m.to, .msg = item.msg});
        if (bounds_.duplicate && item.count < static_cast<std::uint32_t>(bounds_.maxCopies)) {
            out.push_back(Event{.kind = EventKind::Duplicate, .node = m.to, .msg = item.msg});
        }
    }
}

StepResult Model::step(const State& s, const Event& e, State& next) {
    next = s;
    const int i = e.node;
    switch (e.kind) {
        case EventKind::Deliver: {
            removeCopy(next, e.msg);
            return stepNode(s, i, node(s, i), raft::Receive{message(e.msg)}, next);
        }
        case EventKind::Drop:
            removeCopy(next, e.msg);
            return {};
        case EventKind::Duplicate:
            return StepResult{.inBounds = addMessage(next, message(e.msg))};
        case EventKind::Timeout:
            return stepNode(s, i, node(s, i), raft::Timeout{e.timer}, next);
        case EventKind::Client:
            return stepNode(s, i, node(s, i), raft::Propose{clientEntry(e.value)}, next);
        case EventKind::Crash: {
            // What survives a crash is what was persisted; the rest is lost with the node.
            next.env[i] = 0;
            next.crashes = static_cast<std::uint8_t>(s.crashes + 1);
            next.node[i] = tables_.node(Node(bounds_.configFor(e.node), durable(s, i)));
            return {};
        }
        case EventKind::Restart:
            next.env[i] = kUp;
            return stepNode(s, i, node(s, i), raft::Start{}, next);
    }
    return {};
}

StepResult Model::stepNode(const State& s, int i, Node n, const raft::Input& input, State& next) {
    const Node& before = node(s, i);
    raft::Actions actions;
    n.step(input, actions);
    RAFT_ASSERT(n.currentTerm() <= static_cast<raft::Term>(bounds_.maxTerm), "node={} term={}", i,
                n.currentTerm());
    if (n.log().lastIndex() > static_cast<raft::Index>(bounds_.maxLog)) return {.inBounds = false};
    if (!applyActions(i, actions, next)) return {.inBounds = false};
    next.node[i] = tables_.node(n);
    dropDead(next);
    std::array<const Node*, kMaxNodes> others{};
    std::size_t count = 0;
    for (int j = 0; j < bounds_.nodes; ++j) {
        if (j != i) others[count++] = &node(next, j);
    }
    StepResult r;
    r.violation = checkStep(before, n, std::span<const Node* const>(others.data(), count), next, r.seen);
    return r;
}

// Carries out the node's actions; persistence is instant. False if a send would put more
// copies of a message in flight than the bounds allow.
bool Model::applyActions(int i, const raft::Actions& actions, State& next) {
    std::optional<raft::DurableState> disk;
    for (const raft::Action& action : actions) {
        if (const auto* send = std::get_if<raft::Send>(&action)) {
            if (!addMessage(next, send->message)) return false;
        } else if (const auto* arm = std::get_if<raft::ArmTimer>(&action)) {
            next.env[i] |= arm->timer == raft::Timer::Election ? kElectionArmed : kHeartbeatArmed;
        } else if (const auto* cancel = std::get_if<raft::CancelTimer>(&action)) {
            next.env[i] &= static_cast<std::uint8_t>(
                ~(cancel->timer == raft::Timer::Election ? kElectionArmed : kHeartbeatArmed));
        } else if (!tracksDurable()) {
            continue;
        } else if (const auto* hard = std::get_if<raft::PersistHardState>(&action)) {
            if (!disk) disk = durable(next, i);
            disk->currentTerm = hard->currentTerm;
            disk->votedFor = hard->votedFor;
        } else if (const auto* write = std::get_if<raft::PersistEntries>(&action)) {
            if (!disk) disk = durable(next, i);
            RAFT_ASSERT(write->firstIndex >= 1 && write->firstIndex <= disk->log.size() + 1,
                        "node={} firstIndex={} durable={}", i, write->firstIndex, disk->log.size());
            disk->log.resize(write->firstIndex - 1);
            disk->log.insert(disk->log.end(), write->entries.begin(), write->entries.end());
        }
    }
    if (disk) next.durable[i] = tables_.durable(*disk);
    return true;
}

bool Model::addMessage(State& next, const raft::Message& m) {
    const std::uint32_t id = tables_.msg(m);
    const std::uint64_t key = tables_.msgItem(id).sortKey;
    auto it = std::lower_bound(next.bag.begin(), next.bag.end(), key, [&](const BagItem& b, std::uint64_t k) {
        return tables_.msgItem(b.msg).sortKey < k;
    });
    while (it != next.bag.end() && it->msg != id && tables_.msgItem(it->msg).sortKey == key) ++it;
    if (it != next.bag.end() && it->msg == id) {
        if (it->count >= static_cast<std::uint32_t>(bounds_.maxCopies)) return false;
        ++it->count;
        return true;
    }
    next.bag.insert(it, BagItem{id, 1});
    return true;
}

// Messages whose delivery can no longer change anything are dropped as they die (see
// sim/mc/dead.hpp). Bug switches change what the core does with a message, so with any
// switched on every message is kept.
void Model::dropDead(State& next) const {
    if (!bounds_.dropDead || !bounds_.bugs.empty()) return;
    const auto maxTerm = static_cast<raft::Term>(bounds_.maxTerm);
    std::erase_if(next.bag, [&](const BagItem& b) {
        const raft::Message& m = message(b.msg);
        return isDead(m, node(next, m.from), node(next, m.to), maxTerm);
    });
}

void Model::removeCopy(State& next, std::uint32_t msg) const {
    const auto it = std::find_if(next.bag.begin(), next.bag.end(),
                                 [&](const BagItem& b) { return b.msg == msg; });
    RAFT_ASSERT(it != next.bag.end(), "message {} not in flight", msg);
    if (--it->count == 0) next.bag.erase(it);
}

raft::Entry Model::clientEntry(std::uint32_t value) const {
    return raft::Entry{.kind = raft::EntryKind::Command, .clientId = 1, .seq = value, .data = value};
}

std::uint64_t Model::fingerprint(const State& s) const {
    const int n = bounds_.nodes;
    raft::Hasher common;  // the parts no renaming touches
    common.add(s.crashes);
    for (int i = 1; i <= bounds_.maxLog; ++i) common.add(s.committed[i]);
    const std::uint64_t base = common.digest();
    std::uint64_t best = ~std::uint64_t{0};
    for (std::size_t k = 0; k < perms_.size(); ++k) {
        const Perm& p = perms_[k];
        raft::Hasher h;
        h.add(base);
        for (int q = 0; q < n; ++q) {
            const int i = p.from[q];
            h.add(tables_.nodeItem(s.node[i]).permHash[k] ^ s.env[i]);
            if (tracksDurable()) h.add(tables_.durableItem(s.durable[i]).permHash[k]);
        }
        std::uint64_t leaders = 0;
        for (int t = 1; t <= bounds_.maxTerm; ++t) {
            leaders = leaders << 4 | (p.map(s.leaderOf[t]) & 0xF);
        }
        h.add(leaders);
        std::uint64_t bag = 0;  // a multiset hash: the sum is independent of order
        for (const BagItem& item : s.bag) {
            bag += raft::Hasher::mix(msgPermHash(tables_.msgItem(item.msg), p) + item.count);
        }
        h.add(bag);
        best = std::min(best, h.digest());
    }
    return raft::Hasher::mix(best);  // a minimum is biased small; the table wants uniform
}

std::string Model::describe(const Event& e) const {
    switch (e.kind) {
        case EventKind::Deliver:
        case EventKind::Drop:
        case EventKind::Duplicate:
            return fmt::format("{} {}", name(e.kind), mc::describe(message(e.msg)));
        case EventKind::Timeout:
            return fmt::format("timeout node {} {}", e.node,
                               e.timer == raft::Timer::Election ? "election" : "heartbeat");
        case EventKind::Client:
            return fmt::format("client value {} to node {}", e.value, e.node);
        case EventKind::Crash:
        case EventKind::Restart:
            return fmt::format("{} node {}", name(e.kind), e.node);
    }
    return "?";
}

}  // namespace mc
