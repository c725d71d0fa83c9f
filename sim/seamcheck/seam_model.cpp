#include "sim/seamcheck/seam_model.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "core/assert.hpp"
#include "core/hash.hpp"
#include "sim/property.hpp"
#include "sim/mc/value_hash.hpp"

namespace mc::seam {

namespace {

bool isWrite(const raft::Action& a) {
    return std::holds_alternative<raft::PersistHardState>(a) || std::holds_alternative<raft::PersistEntries>(a);
}

void applyWrite(const raft::Action& action, raft::DurableState& disk) {
    if (const auto* hard = std::get_if<raft::PersistHardState>(&action)) {
        disk.currentTerm = hard->currentTerm;
        disk.votedFor = hard->votedFor;
    } else if (const auto* write = std::get_if<raft::PersistEntries>(&action)) {
        RAFT_ASSERT(write->firstIndex >= 1 && write->firstIndex <= disk.log.size() + 1, "firstIndex={} durable={}",
                    write->firstIndex, disk.log.size());
        disk.log.resize(write->firstIndex - 1);
        disk.log.insert(disk.log.end(), write->entries.begin(), write->entries.end());
    }
}

McViolation coreInvariant(const raft::InvariantFailure& failure) {
    return McViolation{std::string(sim::name(sim::Property::CoreInvariant)), failure.what()};
}

}  // namespace

SeamModel::SeamModel(const sim::Implementation& impl, const Bounds& bounds) : impl_(impl), bounds_(bounds) {
    bounds_.configFor(0);  // validates
    if (bounds_.asyncWrites) throw std::invalid_argument("--async-writes needs the core's model (--impl raftsim)");
    if (bounds_.reads > 0 || bounds_.transfers > 0 || bounds_.followerReads) {
        throw std::invalid_argument("reads and transfers need the core's model (--impl raftsim)");
    }
    bounds_.symmetry = false;
    bounds_.dropDead = false;
    const std::unique_ptr<sim::NodeUnderTest> probe = impl_.start(bounds_.configFor(0), raft::DurableState{});
    if (!probe->fingerprint()) {
        throw std::invalid_argument(std::string(impl_.name()) + " has no fingerprint hook: it cannot be explored");
    }
    copies_ = probe->clone() != nullptr;
}

std::unique_ptr<sim::NodeUnderTest> SeamModel::materialize(const NodeSlot& slot, raft::NodeId id) const {
    if (slot.live) return slot.live->clone();
    std::unique_ptr<sim::NodeUnderTest> node = impl_.start(bounds_.configFor(id), slot.history->start);
    raft::Actions scratch;
    for (const Given& given : slot.history->inputs) {
        scratch.clear();
        feed(*node, given, scratch);
    }
    return node;
}

std::shared_ptr<const NodeSlot> SeamModel::slotOf(std::unique_ptr<sim::NodeUnderTest> node,
                                                  std::shared_ptr<const History> history) {
    auto slot = std::make_shared<NodeSlot>();
    slot->facts.view = node->view();
    const raft::Index last = slot->facts.view.lastIndex;
    if (last > 0) {
        const std::span<const raft::Entry> log = node->entries(1, last);
        slot->facts.log.assign(log.begin(), log.end());
    }
    slot->facts.quorum = bounds_.nodes / 2 + 1;
    slot->facts.ids = &ids_;
    slot->fingerprint = node->fingerprint().value();
    if (copies_) {
        slot->live = std::move(node);
    } else {
        slot->history = std::move(history);
    }
    return slot;
}

// A node started from `durable` that has not yet had its Start input (a crashed node).
std::shared_ptr<const NodeSlot> SeamModel::fresh(raft::NodeId id, const raft::DurableState& durable) {
    auto history = std::make_shared<History>();
    history->start = durable;
    return slotOf(impl_.start(bounds_.configFor(id), durable), std::move(history));
}

// Every node started once from an empty disk. The properties judge the nodes once all
// have started: an implementation that bootstraps a committed configuration entry
// (canonical/raft) commits it on each node as it starts, and the others lack it only
// until they start too.
SeamState SeamModel::initial() {
    SeamState s;
    s.leaderOf.fill(raft::kNoNode);
    for (int i = 0; i < bounds_.nodes; ++i) {
        s.nodes.push_back(fresh(static_cast<raft::NodeId>(i), raft::DurableState{}));
        if (tracksDurable()) s.durable.emplace_back();
    }
    const std::vector<std::shared_ptr<const NodeSlot>> unstarted = s.nodes;
    SeamState next;
    checks_ = false;
    for (int i = 0; i < bounds_.nodes; ++i) {
        const SeamStep r = step(s, Event{.kind = EventKind::Restart, .node = static_cast<raft::NodeId>(i)}, next);
        if (r.violation) throw std::runtime_error(fmt::format("node {} failed to start: {}", i, r.violation->details));
        RAFT_ASSERT(r.inBounds && next.bag.empty(), "node {} did not start quietly", i);
        s = next;
    }
    checks_ = true;
    for (int i = 0; i < bounds_.nodes; ++i) {
        Observed seen;
        if (auto v = check(unstarted[i]->facts, s, i, nullptr, s, seen)) {
            throw std::runtime_error(fmt::format("node {} started in violation of {}: {}", i, v->property, v->details));
        }
    }
    return s;
}

void SeamModel::enabled(const SeamState& s, std::vector<Event>& out) const {
    out.clear();
    for (int i = 0; i < bounds_.nodes; ++i) {
        const auto id = static_cast<raft::NodeId>(i);
        if ((s.env[i] & kUp) == 0) {
            out.push_back(Event{.kind = EventKind::Restart, .node = id});
            continue;
        }
        const sim::NodeView& v = s.nodes[i]->facts.view;
        const bool leader = v.role == raft::Role::Leader;
        const bool elects = leader ? bounds_.checkQuorum : v.currentTerm < static_cast<raft::Term>(bounds_.maxTerm);
        if ((s.env[i] & kElectionArmed) != 0 && elects) {
            out.push_back(Event{.kind = EventKind::Timeout, .node = id, .timer = raft::Timer::Election});
        }
        if ((s.env[i] & kHeartbeatArmed) != 0) {
            out.push_back(Event{.kind = EventKind::Timeout, .node = id, .timer = raft::Timer::Heartbeat});
        }
        if (leader && v.lastIndex < static_cast<raft::Index>(bounds_.maxLog)) {
            for (int value = 1; value <= bounds_.values; ++value) {
                out.push_back(Event{.kind = EventKind::Client, .node = id, .value = static_cast<std::uint32_t>(value)});
            }
        }
        if (s.crashes < bounds_.maxCrashes) out.push_back(Event{.kind = EventKind::Crash, .node = id});
    }
    for (std::size_t k = 0; k < s.bag.size(); ++k) {
        const raft::Message& m = s.bag[k].msg;
        const auto at = static_cast<std::uint32_t>(k);
        if ((s.env[m.to] & kUp) != 0) out.push_back(Event{.kind = EventKind::Deliver, .node = m.to, .msg = at});
        if (bounds_.drop) out.push_back(Event{.kind = EventKind::Drop, .node = m.to, .msg = at});
        if (bounds_.duplicate && s.bag[k].count < static_cast<std::uint32_t>(bounds_.maxCopies)) {
            out.push_back(Event{.kind = EventKind::Duplicate, .node = m.to, .msg = at});
        }
    }
}

SeamStep SeamModel::step(const SeamState& s, const Event& e, SeamState& next) {
    next = s;
    const int i = e.node;
    switch (e.kind) {
        case EventKind::Deliver: {
            const raft::Message m = s.bag[e.msg].msg;
            if (--next.bag[e.msg].count == 0) next.bag.erase(next.bag.begin() + e.msg);
            return stepNode(s, e, Given{raft::Receive{m}}, next);
        }
        case EventKind::Drop:
            if (--next.bag[e.msg].count == 0) next.bag.erase(next.bag.begin() + e.msg);
            return {};
        case EventKind::Duplicate: return SeamStep{.inBounds = addMessage(next, s.bag[e.msg].msg)};
        case EventKind::Timeout: return stepNode(s, e, Given{raft::Timeout{e.timer}, true}, next);
        case EventKind::Client: {
            const raft::Entry entry{.kind = raft::EntryKind::Command, .clientId = 1, .seq = e.value, .data = e.value};
            return stepNode(s, e, Given{raft::Propose{entry}}, next);
        }
        case EventKind::Crash:
            // What survives a crash is what was persisted; the rest is lost with the node.
            next.env[i] = 0;
            next.crashes = static_cast<std::uint8_t>(s.crashes + 1);
            try {
                next.nodes[i] = fresh(e.node, s.durable[i]);
            } catch (const raft::InvariantFailure& failure) {
                return {.violation = coreInvariant(failure)};
            }
            return {};
        case EventKind::Restart:
            next.env[i] = kUp;
            return stepNode(s, e, Given{raft::Start{}}, next);
        case EventKind::DiskDone:  // async writes are refused
        case EventKind::Transfer:  // and so are transfers, reads, membership changes and
        case EventKind::Read:      // snapshots (tools/raftsim/check_seam.cpp)
        case EventKind::Change:
        case EventKind::Snapshot: break;
    }
    return {};
}

SeamStep SeamModel::stepNode(const SeamState& s, const Event& e, const Given& given, SeamState& next) {
    const int i = e.node;
    const NodeSlot& before = *s.nodes[i];
    std::shared_ptr<History> history;
    if (!copies_) history = std::make_shared<History>(*before.history);
    std::unique_ptr<sim::NodeUnderTest> node;
    raft::Actions actions;
    try {
        node = materialize(before, e.node);
        feed(*node, given, actions);
        if (history) history->inputs.push_back(given);
        reportDurable(*node, actions, history.get());
    } catch (const raft::InvariantFailure& failure) {  // a tripped assertion is a finding
        return {.violation = coreInvariant(failure)};
    }
    const sim::NodeView after = node->view();
    if (after.lastIndex > static_cast<raft::Index>(bounds_.maxLog) ||
        after.currentTerm > static_cast<raft::Term>(bounds_.maxTerm)) {
        return {.inBounds = false};
    }
    if (!apply(i, actions, next)) return {.inBounds = false};
    next.nodes[i] = slotOf(std::move(node), std::move(history));
    SeamStep r;
    const raft::Message* received = e.kind == EventKind::Deliver ? &std::get<raft::Receive>(given.input).message : nullptr;
    if (checks_) r.violation = check(before.facts, next, i, received, next, r.seen);
    return r;
}

// Writes are durable within the step, as in mc::Model; the node hears of each write
// once (as the world tells it, sim/world.cpp), with what it then holds, and again if
// that made it write.
void SeamModel::reportDurable(sim::NodeUnderTest& node, raft::Actions& actions, History* history) const {
    std::size_t from = 0;
    for (int round = 0;; ++round) {
        const auto writes = std::count_if(actions.begin() + static_cast<std::ptrdiff_t>(from), actions.end(), isWrite);
        if (writes == 0) return;
        RAFT_ASSERT(round < 8, "node {} keeps writing on durability reports", node.view().id);
        from = actions.size();
        const sim::NodeView v = node.view();
        const raft::Persisted report{v.currentTerm, v.lastIndex, v.lastTerm};
        for (std::ptrdiff_t k = 0; k < writes; ++k) {
            node.step(report, actions);
            if (history != nullptr) history->inputs.push_back(Given{report});
        }
    }
}

// The step's sends, timers and writes; false when a send exceeds the copies bound.
bool SeamModel::apply(int i, const raft::Actions& actions, SeamState& next) const {
    std::uint8_t armed = 0;
    std::uint8_t cancelled = 0;
    for (const raft::Action& action : actions) {
        if (const auto* send = std::get_if<raft::Send>(&action)) {
            if (!addMessage(next, send->message)) return false;
        } else if (const auto* arm = std::get_if<raft::ArmTimer>(&action)) {
            const auto bit = static_cast<std::uint8_t>(arm->timer == raft::Timer::Election ? kElectionArmed : kHeartbeatArmed);
            armed |= bit;
            cancelled = static_cast<std::uint8_t>(cancelled & ~bit);
        } else if (const auto* cancel = std::get_if<raft::CancelTimer>(&action)) {
            const auto bit = static_cast<std::uint8_t>(cancel->timer == raft::Timer::Election ? kElectionArmed : kHeartbeatArmed);
            cancelled |= bit;
            armed = static_cast<std::uint8_t>(armed & ~bit);
        } else if (tracksDurable() && isWrite(action)) {
            applyWrite(action, next.durable[i]);
        }
    }
    next.env[i] = static_cast<std::uint8_t>((next.env[i] & ~cancelled) | armed);
    return true;
}

bool SeamModel::addMessage(SeamState& next, const raft::Message& m) const {
    const std::uint64_t h = messageHash(contentHash(m), m.from, m.to);
    auto it = std::lower_bound(next.bag.begin(), next.bag.end(), h,
                               [](const BagItem& b, std::uint64_t key) { return b.hash < key; });
    while (it != next.bag.end() && it->hash == h && !(it->msg == m)) ++it;
    if (it != next.bag.end() && it->hash == h) {
        if (it->count >= static_cast<std::uint32_t>(bounds_.maxCopies)) return false;
        ++it->count;
        return true;
    }
    next.bag.insert(it, BagItem{m, h, 1});
    return true;
}

// The properties, as mc::Model checks them (sim/mc/invariants_rules.hpp), with the
// implementation's declared departures from figure 2 (Implementation::mayDisregardTerm).
// The properties, as mc::Model checks them (sim/mc/invariants_rules.hpp), for node `i`
// of `next` after a step from `before`, with the implementation's declared departures
// from figure 2 (Implementation::mayDisregardTerm).
std::optional<McViolation> SeamModel::check(const Facts& before, const SeamState& now, int i,
                                            const raft::Message* received, SeamState& next, Observed& seen) const {
    const Facts& after = now.nodes[i]->facts;
    if (received != nullptr) {
        if (auto v = rules::checkReceive(*received, after); v && !impl_.mayDisregardTerm(*received, before.view)) {
            return v;
        }
    }
    std::array<const Facts*, kMaxNodes> others{};
    std::size_t count = 0;
    for (int j = 0; j < bounds_.nodes; ++j) {
        if (j != i) others[count++] = &now.nodes[j]->facts;
    }
    return rules::checkStep(before, after, std::span<const Facts* const>(others.data(), count), next, seen);
}

std::uint64_t SeamModel::fingerprint(const SeamState& s) const {
    raft::Hasher h;
    h.add(s.crashes);
    for (int i = 1; i <= bounds_.maxLog; ++i) h.add(s.committed[i]);
    for (int t = 1; t <= bounds_.maxTerm; ++t) h.add(s.leaderOf[t]);
    for (int i = 0; i < bounds_.nodes; ++i) {
        h.add(s.nodes[i]->fingerprint);
        h.add(s.env[i]);
        if (tracksDurable()) h.add(durableHash(s.durable[i], s.durable[i].votedFor));
    }
    std::uint64_t bag = 0;  // a multiset hash: the sum does not depend on order
    for (const BagItem& item : s.bag) bag += raft::Hasher::mix(item.hash + item.count);
    h.add(bag);
    return h.digest();
}

}  // namespace mc::seam
