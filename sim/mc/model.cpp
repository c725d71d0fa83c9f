#include "sim/mc/model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/hash.hpp"
#include "sim/mc/audit.hpp"
#include "sim/mc/dead.hpp"
#include "sim/property.hpp"

namespace mc {

using raft::Node;
using raft::NodeId;

namespace {

// A committed history word with a configuration's node sets left out (nodePart adds
// them, renamed).
std::uint32_t withoutNodeSets(std::uint32_t word) {
    const std::uint16_t entry = Committed::entry(word);
    if (!packedMembership(entry)) return word;
    return Committed::pack(withMembership(entry, {}), Committed::term(word));
}

std::vector<std::string> refusalsOf(const Bounds& b, Reductions reductions) {
    if (reductions == Reductions::AsGiven) return {};
    const ReductionVerdict& v = auditReductions(b);
    std::vector<std::string> out;
    if (!v.deadHolds) out.push_back("dead-message reduction refused: " + v.deadWhy);
    if (!v.symmetryHolds) out.push_back("symmetry reduction refused: " + v.symmetryWhy);
    return out;
}

}  // namespace

Model::Model(const Bounds& bounds, Reductions reductions)
    : bounds_(bounds),
      refusals_(refusalsOf(bounds, reductions)),
      dropsDead_(bounds.dropDead && deadRulesCover(bounds) &&
                 (reductions == Reductions::AsGiven || auditReductions(bounds).deadHolds)),
      perms_(makePerms(bounds.servers(), bounds.nodes, bounds.symmetry && symmetryCovers(bounds) &&
                                         (reductions == Reductions::AsGiven || auditReductions(bounds).symmetryHolds))),
      codec_(bounds),
      tables_(bounds.servers(), perms_) {
    bounds_.configFor(0);  // validates
}

// Every node starts as a node restarting from an empty disk does.
State Model::initial() {
    State s;
    s.leaderOf.fill(raft::kNoNode);
    const std::uint32_t empty = tracksDurable() ? tables_.durable(raft::DurableState{}) : 0;
    for (int i = 0; i < bounds_.servers(); ++i) {
        s.node[i] = tables_.node(Node(bounds_.configFor(static_cast<NodeId>(i))));
        s.durable[i] = empty;
    }
    State next;
    for (int i = 0; i < bounds_.servers(); ++i) {
        const StepResult r = step(s, Event{.kind = EventKind::Restart, .node = static_cast<NodeId>(i)}, next);
        RAFT_ASSERT(r.inBounds && !r.violation && next.bag.empty(), "node {} did not start quietly", i);
        s = next;
    }
    return s;
}

void Model::enabled(const State& s, std::vector<Event>& out) const {
    out.clear();
    for (int i = 0; i < bounds_.servers(); ++i) {
        const auto id = static_cast<NodeId>(i);
        if ((s.env[i] & kUp) == 0) {
            out.push_back(Event{.kind = EventKind::Restart, .node = id});
            continue;
        }
        const Node& n = node(s, i);
        const bool leader = n.role() == raft::Role::Leader;
        // A leader's election timer is armed only under CheckQuorum (its quorum check).
        const bool elects = leader ? bounds_.checkQuorum : n.currentTerm() < static_cast<raft::Term>(bounds_.maxTerm);
        if ((s.env[i] & kElectionArmed) != 0 && elects) {
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
        if (leader && s.transfers < bounds_.transfers) addTransfers(id, out);
        if (s.reads < bounds_.reads) {
            out.push_back(Event{.kind = EventKind::Read, .node = id, .value = s.reads + 1u});
        }
        if (leader && s.configChanges < bounds_.configChanges) addChanges(n, out);
        if (s.snapshots < bounds_.snapshots) addSnapshot(n, out);
        if (s.crashes < bounds_.maxCrashes) out.push_back(Event{.kind = EventKind::Crash, .node = id});
        if (s.pending[i] != 0) out.push_back(Event{.kind = EventKind::DiskDone, .node = id});
    }
    for (const BagItem& item : s.bag) {
        const raft::Message& m = message(item.msg);
        if ((s.env[m.to] & kUp) != 0 && item.place == 0) {  // FIFO links: the oldest only
            out.push_back(Event{.kind = EventKind::Deliver, .node = m.to, .msg = item.msg});
        }
        if (bounds_.drop) out.push_back(Event{.kind = EventKind::Drop, .node = m.to, .msg = item.msg});
        if (bounds_.duplicate && item.count < static_cast<std::uint32_t>(bounds_.maxCopies)) {
            out.push_back(Event{.kind = EventKind::Duplicate, .node = m.to, .msg = item.msg});
        }
    }
}

// A leader's transfers, to each other node by name. A transfer to "the most up to date"
// (TransferLeadership{kNoNode}) picks one of them, the lowest id among ties: the named
// targets cover every choice it makes, without its tie-break, which renaming breaks.
void Model::addTransfers(NodeId leader, std::vector<Event>& out) const {
    for (int j = 0; j < bounds_.servers(); ++j) {
        if (j == leader) continue;
        out.push_back(Event{.kind = EventKind::Transfer, .node = leader, .value = static_cast<std::uint32_t>(j)});
    }
}

StepResult Model::step(const State& s, const Event& e, State& next) {
    next = s;
    const int i = e.node;
    switch (e.kind) {
        case EventKind::Deliver: {
            removeCopy(next, e.msg);
            return stepNode(s, e, next);
        }
        case EventKind::Drop:
            removeCopy(next, e.msg);
            return {};
        case EventKind::Duplicate:
            return StepResult{.inBounds = addMessage(next, e.msg)};
        case EventKind::Timeout:
        case EventKind::Client:
            return stepNode(s, e, next);
        case EventKind::Transfer:
            next.transfers = static_cast<std::uint8_t>(s.transfers + 1);
            return stepNode(s, e, next);
        case EventKind::Change: {
            next.configChanges = static_cast<std::uint8_t>(s.configChanges + 1);
            StepResult r = stepNode(s, e, next);
            // A refused change changes nothing but what is left of the bound: every path
            // after it is open without it, so it is not explored.
            if (r.inBounds && !r.violation && next.node[i] == s.node[i] && next.bag == s.bag && next.env[i] == s.env[i]) {
                r.inBounds = false;
            }
            return r;
        }
        case EventKind::Snapshot:
            next.snapshots = static_cast<std::uint8_t>(s.snapshots + 1);
            return stepNode(s, e, next);
        case EventKind::Read:
            // The floor: every write acknowledged so far is committed at or below it.
            next.readFloor[s.reads] = static_cast<std::uint8_t>(rules::highestCommitted(s));
            next.reads = static_cast<std::uint8_t>(s.reads + 1);
            return stepNode(s, e, next);
        case EventKind::Crash: {
            // What survives a crash is what was persisted; the rest is lost with the node.
            next.env[i] = 0;
            next.pending[i] = 0;  // writes in flight are lost, and what waited on them
            next.crashes = static_cast<std::uint8_t>(s.crashes + 1);
            next.node[i] = tables_.node(Node(bounds_.configFor(e.node), durable(s, i)));
            dropDead(next, e.node);
            return {};
        }
        case EventKind::Restart:
            next.env[i] = kUp;
            return stepNode(s, e, next);
        case EventKind::DiskDone: return completeWrite(s, e, next);
    }
    return {};
}

StepResult Model::stepNode(const State& s, const Event& e, State& next) {
    const int i = e.node;
    const NodeStep* stepped = nullptr;
    try {
        stepped = &nodeStep(s.node[i], e);
    } catch (const raft::InvariantFailure& failure) {  // a tripped core assertion is a finding
        return {.violation = McViolation{std::string(sim::name(sim::Property::CoreInvariant)), failure.what()}};
    }
    const NodeStep& step = *stepped;
    if (!step.inBounds) return {.inBounds = false};
    if (bounds_.asyncWrites) {
        if (!issueWrites(i, step, next)) return {.inBounds = false};
    } else {
        for (const std::uint32_t msg : step.sends) {
            if (!addMessage(next, msg)) return {.inBounds = false};
        }
        if (!step.persists.empty()) persist(i, step.persists, next);
    }
    next.env[i] = static_cast<std::uint8_t>((next.env[i] & ~step.cancelled) | step.armed);
    next.node[i] = step.node;
    if (step.deadViewChanged) {
        dropDead(next, e.node);
    } else {
        dropDeadSent(next, step.sends);
    }
    std::array<const Node*, kMaxNodes> others{};
    std::size_t count = 0;
    for (int j = 0; j < bounds_.servers(); ++j) {
        if (j != i) others[count++] = &node(next, j);
    }
    StepResult r;
    if (e.kind == EventKind::Deliver) r.violation = checkReceive(message(e.msg), node(s, i), node(next, i));
    if (!r.violation) {
        r.violation = checkStep(node(s, i), node(next, i), std::span<const Node* const>(others.data(), count),
                                next, r.seen);
    }
    if (!r.violation && e.kind == EventKind::Client) r.violation = checkProposal(node(s, i), node(next, i));
    for (const auto& [seq, index] : step.served) {
        if (r.violation) break;
        r.violation = checkRead(node(next, i), seq, index, next.readFloor[seq - 1]);
    }
    return r;
}

// Node `nodeId` given the input of `e` (a node step: deliver, timeout, client, restart).
const NodeStep& Model::nodeStep(std::uint32_t nodeId, const Event& e) {
    std::uint32_t arg = 0;
    if (e.kind == EventKind::Deliver) arg = e.msg;
    if (e.kind == EventKind::Timeout) arg = static_cast<std::uint32_t>(e.timer);
    if (e.kind == EventKind::Client || e.kind == EventKind::DiskDone || e.kind == EventKind::Transfer ||
        e.kind == EventKind::Read || e.kind == EventKind::Change || e.kind == EventKind::Snapshot) {
        arg = e.value;
    }
    RAFT_ASSERT(arg < (1u << 28), "event argument {} too large for the memo key", arg);
    const std::uint64_t key = std::uint64_t{nodeId} << 32 | std::uint64_t{static_cast<std::uint8_t>(e.kind)} << 28 | arg;
    return memo_.get(key, [&] { return computeStep(tables_.nodeItem(nodeId).node.value(), e); });
}

raft::Input Model::inputOf(const Event& e) const {
    switch (e.kind) {
        case EventKind::Deliver: return raft::Receive{message(e.msg)};
        case EventKind::Timeout: return raft::Timeout{e.timer};
        case EventKind::Client: return raft::Propose{clientEntry(e.value)};
        case EventKind::DiskDone: return unpackPersisted(e.value);
        case EventKind::Transfer: return raft::TransferLeadership{static_cast<NodeId>(e.value)};
        case EventKind::Read: return raft::Read{.clientId = kReadClient, .seq = e.value};
        case EventKind::Change: return raft::ChangeMembership{changeKindOf(e.value), changeServerOf(e.value)};
        default: return raft::Start{};
    }
}

raft::Actions Model::actionsOf(const State& s, const Event& e) const {
    Node n = node(s, e.node);
    raft::Actions actions;
    n.step(e.kind == EventKind::Snapshot ? raft::Input{snapshotInput(n, e.value)} : inputOf(e), actions);
    return actions;
}

NodeStep Model::computeStep(Node n, const Event& e) {
    const Node before = n;
    raft::Actions actions;
    n.step(e.kind == EventKind::Snapshot ? raft::Input{snapshotInput(n, e.value)} : inputOf(e), actions);
    if (!bounds_.asyncWrites) reportDurable(n, actions);
    NodeStep step;
    // A TimeoutNow starts an election whatever the term: one past the bound is outside.
    const bool timeoutNow = e.kind == EventKind::Deliver && message(e.msg).kind == raft::MsgKind::TimeoutNow;
    RAFT_ASSERT(timeoutNow || n.currentTerm() <= static_cast<raft::Term>(bounds_.maxTerm), "node={} term={}",
                e.node, n.currentTerm());
    if (n.log().lastIndex() > static_cast<raft::Index>(bounds_.maxLog) ||
        n.currentTerm() > static_cast<raft::Term>(bounds_.maxTerm)) {
        step.inBounds = false;
        return step;
    }
    step.node = tables_.node(n);
    step.deadViewChanged = !sameDeadView(before, n);
    for (raft::Action& action : actions) {
        if (auto* send = std::get_if<raft::Send>(&action)) {
            step.sends.push_back(tables_.msg(send->message));
            if (bounds_.asyncWrites) step.writesBefore.push_back(static_cast<std::uint8_t>(step.persists.size()));
        } else if (const auto* read = std::get_if<raft::ReadReply>(&action)) {
            if (read->accepted) step.served.emplace_back(read->seq, read->index);
        } else if (const auto* arm = std::get_if<raft::ArmTimer>(&action)) {
            setTimerBit(step, arm->timer, true);
        } else if (const auto* cancel = std::get_if<raft::CancelTimer>(&action)) {
            setTimerBit(step, cancel->timer, false);
        } else if (tracksDurable() && (std::holds_alternative<raft::PersistHardState>(action) ||
                                       std::holds_alternative<raft::PersistEntries>(action) ||
                                       std::holds_alternative<raft::PersistSnapshot>(action))) {
            step.persists.push_back(std::move(action));
        }
    }
    return step;
}

// Writes are instant: once a step wrote, the node hears that all it wrote is durable,
// within the same step (and again if that report made it write, as when a one-node
// cluster's candidate becomes leader and appends its no-op).
void Model::reportDurable(Node& n, raft::Actions& actions) {
    std::size_t from = 0;
    for (int round = 0;; ++round) {
        const bool wrote = std::any_of(actions.begin() + static_cast<std::ptrdiff_t>(from), actions.end(),
                                       [](const raft::Action& a) {
                                           return std::holds_alternative<raft::PersistHardState>(a) ||
                                                  std::holds_alternative<raft::PersistEntries>(a) ||
                                                  std::holds_alternative<raft::PersistSnapshot>(a);
                                       });
        if (!wrote) return;
        RAFT_ASSERT(round < 8, "node {} keeps writing on durability reports", n.id());
        from = actions.size();
        n.step(raft::Persisted{n.currentTerm(), n.log().lastIndex(), n.log().lastTerm()}, actions);
    }
}

// The last arm or cancel of a timer decides whether it is armed after the step.
void Model::setTimerBit(NodeStep& step, raft::Timer timer, bool armed) {
    const auto bit = static_cast<std::uint8_t>(timer == raft::Timer::Election ? kElectionArmed : kHeartbeatArmed);
    step.armed = static_cast<std::uint8_t>(armed ? step.armed | bit : step.armed & ~bit);
    step.cancelled = static_cast<std::uint8_t>(armed ? step.cancelled & ~bit : step.cancelled | bit);
}

// Persistence is instant: the node's writes reach its disk within the step.
void Model::persist(int i, const std::vector<raft::Action>& writes, State& next) {
    raft::DurableState disk = durable(next, i);
    for (const raft::Action& action : writes) applyWrite(i, action, disk);
    next.durable[i] = tables_.durable(disk);
}

void Model::applyWrite(int i, const raft::Action& action, raft::DurableState& disk) {
    if (const auto* hard = std::get_if<raft::PersistHardState>(&action)) {
        disk.currentTerm = hard->currentTerm;
        disk.votedFor = hard->votedFor;
    } else if (const auto* write = std::get_if<raft::PersistEntries>(&action)) {
        const raft::Index base = disk.snapshot.meta.lastIncludedIndex;
        RAFT_ASSERT(write->firstIndex > base && write->firstIndex <= base + disk.log.size() + 1,
                    "node={} firstIndex={} base={} durable={}", i, write->firstIndex, base, disk.log.size());
        disk.log.resize(write->firstIndex - base - 1);
        disk.log.insert(disk.log.end(), write->entries.begin(), write->entries.end());
    } else if (const auto* snap = std::get_if<raft::PersistSnapshot>(&action)) {
        applySnapshot(*snap, disk);
    }
}

bool Model::addMessage(State& next, std::uint32_t id) const {
    std::uint16_t place = 0;  // FIFO links: behind every message on the same link
    if (bounds_.fifo) {
        const raft::Message& m = message(id);
        for (const BagItem& b : next.bag) {
            if (b.msg == id) return false;  // the same message is still on its link
            const raft::Message& other = message(b.msg);
            if (other.from == m.from && other.to == m.to) ++place;
        }
    }
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
    next.bag.insert(it, BagItem{.msg = id, .count = 1, .place = place});
    return true;
}

// FIFO links: after messages left the bag, those behind them on their links move up.
void Model::closeGaps(State& next) const {
    if (!bounds_.fifo) return;
    thread_local std::vector<std::uint16_t> places;
    const std::size_t n = next.bag.size();
    places.assign(n, 0);
    for (std::size_t a = 0; a < n; ++a) {
        const raft::Message& m = message(next.bag[a].msg);
        for (std::size_t b = 0; b < n; ++b) {
            const raft::Message& other = message(next.bag[b].msg);
            if (other.from == m.from && other.to == m.to && next.bag[b].place < next.bag[a].place) ++places[a];
        }
    }
    for (std::size_t a = 0; a < n; ++a) next.bag[a].place = places[a];
}

// Messages whose delivery can no longer change anything are dropped as they die (see
// sim/mc/dead.hpp). Some bug switches change what the core does with such a message;
// with one of them on, every message is kept. Only node `changed` moved, so only
// messages from or to it can have died.
void Model::dropDead(State& next, raft::NodeId changed) const {
    if (!dropsDead_) return;
    const auto maxTerm = static_cast<raft::Term>(bounds_.maxTerm);
    std::erase_if(next.bag, [&](const BagItem& b) {
        const raft::Message& m = message(b.msg);
        if (m.from != changed && m.to != changed) return false;
        return isDead(m, node(next, m.from), node(next, m.to), maxTerm);
    });
    closeGaps(next);
}

// A step that left its node's view unchanged (NodeStep::deadViewChanged) killed
// nothing already in flight; of what it sent, a message may be dead on arrival.
void Model::dropDeadSent(State& next, const std::vector<std::uint32_t>& sent) const {
    if (sent.empty() || !dropsDead_) return;
    const auto maxTerm = static_cast<raft::Term>(bounds_.maxTerm);
    for (const std::uint32_t id : sent) {
        const raft::Message& m = message(id);
        if (!isDead(m, node(next, m.from), node(next, m.to), maxTerm)) continue;
        const auto it = std::find_if(next.bag.begin(), next.bag.end(), [&](const BagItem& b) { return b.msg == id; });
        if (it != next.bag.end()) next.bag.erase(it);  // every copy: they are all dead
    }
    closeGaps(next);
}

void Model::removeCopy(State& next, std::uint32_t msg) const {
    const auto it = std::find_if(next.bag.begin(), next.bag.end(),
                                 [&](const BagItem& b) { return b.msg == msg; });
    RAFT_ASSERT(it != next.bag.end(), "message {} not in flight", msg);
    if (--it->count == 0) next.bag.erase(it);
    closeGaps(next);
}

raft::Entry Model::clientEntry(std::uint32_t value) const {
    return raft::Entry{.kind = raft::EntryKind::Command, .clientId = 1, .seq = value, .data = value};
}

// Canonical under renaming. Only the permutations that list the nodes in order of
// their id-free hashes are candidates (any renaming of a state has the same candidates,
// renamed); each candidate's node part (nodes, timers, disks, who led each term) is
// hashed, and those with the least node part go on to hash the bag; the least of those,
// mixed once more, is the fingerprint.
std::uint64_t Model::fingerprint(const State& s) const {
    raft::Hasher common;  // the parts no renaming touches
    common.add(s.crashes);
    // A committed configuration's node sets are renamed in nodePart.
    for (int i = 1; i <= bounds_.maxLog; ++i) common.add(withoutNodeSets(s.committed[i]));
    if (bounds_.transfers > 0 || bounds_.reads > 0) {
        common.add(std::uint64_t{s.transfers} << 8 | s.reads);
        for (int k = 0; k < s.reads; ++k) common.add(s.readFloor[k]);
    }
    if (bounds_.configChanges > 0 || bounds_.snapshots > 0) {
        common.add(0x436f'6e66'0000'0000ull | std::uint64_t{s.configChanges} << 8 | s.snapshots);
    }
    const std::uint64_t base = common.digest();
    std::array<std::uint64_t, kMaxNodes> plain{};
    for (int i = 0; i < bounds_.servers(); ++i) plain[i] = raft::Hasher::mix(tables_.nodeItem(s.node[i]).plainHash + s.env[i]);
    std::uint64_t leastNodes = ~std::uint64_t{0};
    std::uint64_t best = ~std::uint64_t{0};
    for (std::size_t k = 0; k < perms_.size(); ++k) {
        if (!inPlainOrder(perms_[k], plain)) continue;
        const std::uint64_t nodes = nodePart(s, k, base);
        if (nodes > leastNodes) continue;
        const std::uint64_t full = raft::Hasher::mix(nodes ^ bagPart(s, k));
        best = nodes < leastNodes ? full : std::min(best, full);
        leastNodes = nodes;
    }
    // The least of several hashes leans towards 0; the visited table places a
    // fingerprint by its high bits, so it is mixed again to spread evenly.
    return raft::Hasher::mix(best);
}

bool Model::inPlainOrder(const Perm& p, const std::array<std::uint64_t, kMaxNodes>& plain) const {
    if (perms_.size() == 1) return true;  // no symmetry: the identity only
    for (int q = 1; q < bounds_.nodes; ++q) {  // the spares are never renamed
        if (plain[p.from[q - 1]] > plain[p.from[q]]) return false;
    }
    return true;
}

std::uint64_t Model::nodePart(const State& s, std::size_t k, std::uint64_t base) const {
    const Perm& p = perms_[k];
    raft::Hasher h;
    h.add(base);
    for (int q = 0; q < bounds_.servers(); ++q) {
        const int i = p.from[q];
        h.add(tables_.nodeItem(s.node[i]).permHash[k] ^ s.env[i]);
        if (tracksDurable()) h.add(tables_.durableItem(s.durable[i]).permHash[k]);
        if (s.pending[i] != 0) h.add(tables_.pendingItem(s.pending[i] - 1).hash);
    }
    std::uint64_t leaders = 0;
    for (int t = 1; t <= bounds_.maxTerm; ++t) leaders = leaders << 4 | (p.map(s.leaderOf[t]) & 0xF);
    h.add(leaders);
    if (bounds_.changesConfigOrLog()) {
        for (int i = 1; i <= bounds_.maxLog; ++i) {
            const std::uint16_t entry = Committed::entry(s.committed[i]);
            if (const auto m = packedMembership(entry)) {
                const raft::Membership renamed{.voters = p.mapSet(m->voters, bounds_.servers()),
                                               .learners = p.mapSet(m->learners, bounds_.servers())};
                h.add(std::uint64_t{withMembership(entry, renamed)} << 8 | static_cast<std::uint64_t>(i));
            }
        }
    }
    return h.digest();
}

// A multiset hash: the sum does not depend on the order of the bag.
std::uint64_t Model::bagPart(const State& s, std::size_t k) const {
    std::uint64_t bag = 0;
    // A message's place on its link (FIFO links) is the same under any renaming.
    for (const BagItem& item : s.bag) {
        bag += raft::Hasher::mix(tables_.msgItem(item.msg).permHash[k] + item.count + (std::uint64_t{item.place} << 32));
    }
    return bag;
}

std::string Model::describe(const Event& e) const {
    const bool carries = e.kind == EventKind::Deliver || e.kind == EventKind::Drop || e.kind == EventKind::Duplicate;
    return mc::describe(e, carries ? message(e.msg) : raft::Message{});
}

}  // namespace mc
