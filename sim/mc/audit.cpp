#include "sim/mc/audit.hpp"

#include <fmt/format.h>

#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/hash.hpp"
#include "sim/mc/dead.hpp"
#include "sim/mc/model.hpp"

namespace mc {

namespace {

// Everything in a state but the messages in flight.
std::uint64_t nodesOnly(const Model& m, const State& s) {
    raft::Hasher h;
    for (int i = 0; i < m.bounds().servers(); ++i) {
        h.add(m.node(s, i).fingerprint());
        h.add(s.env[i]);
        if (m.tracksDurable()) h.add(m.durable(s, i).currentTerm);
    }
    h.add(s.crashes);
    for (const auto leader : s.leaderOf) h.add(leader);
    for (const auto c : s.committed) h.add(c);
    return h.digest();
}

}  // namespace

Reach reachable(Model& m, bool exact, std::uint64_t budget) {
    Reach reach;
    std::unordered_set<std::string> seenExact;
    std::unordered_set<std::uint64_t> seenFp;
    std::vector<std::uint8_t> bytes;
    auto firstVisit = [&](const State& s) {
        if (!exact) return seenFp.insert(m.fingerprint(s)).second;
        bytes.clear();
        m.codec().encode(s, bytes);
        return seenExact.emplace(bytes.begin(), bytes.end()).second;
    };
    std::deque<State> queue{m.initial()};
    firstVisit(queue.front());
    std::vector<Event> events;
    State next;
    while (!queue.empty()) {
        const State s = std::move(queue.front());
        queue.pop_front();
        if (++reach.states > budget) {
            reach.complete = false;
            return reach;
        }
        reach.nodeStates.insert(nodesOnly(m, s));
        reach.orbits.insert(m.fingerprint(s));
        m.enabled(s, events);
        for (const Event& e : events) {
            const StepResult r = m.step(s, e, next);
            if (!r.inBounds) continue;
            reach.violation = reach.violation || r.violation.has_value();
            if (firstVisit(next)) queue.push_back(next);
        }
    }
    return reach;
}

namespace {

// States one exploration of the audit may visit. The first shape that needs more for
// this node configuration (empty heartbeats and PreVote make shapes large) ends the
// audit: the shapes after it are larger still.
constexpr std::uint64_t kBudget = 200'000;

// `b`'s node configuration within small bounds: every client value the same, no
// network faults, one copy of a message, the given reductions.
Bounds small(const Bounds& b, int nodes, int maxTerm, int maxLog, int crashes, bool symmetry, bool dropDead) {
    Bounds s = b;
    s.nodes = nodes;
    s.maxTerm = maxTerm;
    s.maxLog = maxLog;
    s.maxCrashes = crashes;
    s.maxCopies = 1;
    s.drop = false;
    s.duplicate = false;
    s.values = 1;
    s.symmetry = symmetry;
    s.dropDead = dropDead;
    return s;
}

struct Shape {
    int nodes, maxTerm, maxLog, crashes;
};

// Smallest first. Together they cover elections over two terms, replication, commits
// and crashes; most node configurations explore each of them without any reduction
// within the budget, in well under a second.
constexpr Shape kShapes[] = {{2, 1, 1, 1}, {2, 2, 1, 0}, {3, 1, 0, 1}, {2, 2, 1, 1},
                             {2, 1, 2, 1}, {2, 2, 2, 0}, {3, 1, 1, 0}};

std::string noShapeFits() {
    return fmt::format("no audit shape explores within {} states for this node configuration", kBudget);
}

std::string shapeText(const Shape& s) {
    return fmt::format("{} nodes, term <= {}, log <= {}, {} crash(es)", s.nodes, s.maxTerm, s.maxLog, s.crashes);
}

// Why a reduction is refused when it changes whether a violation is found.
std::string violationDiffers(const Shape& sh, bool withoutIt) {
    return fmt::format("at {}, a property is violated {}", shapeText(sh),
                       withoutIt ? "without it but not with it" : "with it but not without it");
}

}  // namespace

std::string auditDeadMessages(const Bounds& b) {
    int audited = 0;
    for (const Shape& sh : kShapes) {
        Model kept(small(b, sh.nodes, sh.maxTerm, sh.maxLog, sh.crashes, false, false), Reductions::AsGiven);
        const Reach all = reachable(kept, true, kBudget);
        if (!all.complete) break;
        Model dropped(small(b, sh.nodes, sh.maxTerm, sh.maxLog, sh.crashes, false, true), Reductions::AsGiven);
        const Reach reduced = reachable(dropped, true, kBudget);
        ++audited;
        if (all.nodeStates != reduced.nodeStates) {
            return fmt::format("at {}, {} node states are reachable without it and {} with it", shapeText(sh),
                               all.nodeStates.size(), reduced.nodeStates.size());
        }
        if (all.violation != reduced.violation) return violationDiffers(sh, all.violation);
    }
    return audited > 0 ? std::string() : noShapeFits();
}

std::string auditSymmetry(const Bounds& b) {
    int audited = 0;
    for (const Shape& sh : kShapes) {
        // One model: symmetry changes only how states are told apart, not how they step.
        Model m(small(b, sh.nodes, sh.maxTerm, sh.maxLog, sh.crashes, true, false), Reductions::AsGiven);
        const Reach all = reachable(m, true, kBudget);
        if (!all.complete) break;
        const Reach reduced = reachable(m, false, kBudget);
        ++audited;
        if (all.orbits != reduced.orbits) {
            return fmt::format("at {}, the reachable states fall into {} orbits under renaming, and the "
                               "symmetric search visits {} states",
                               shapeText(sh), all.orbits.size(), reduced.states);
        }
        if (all.violation != reduced.violation) return violationDiffers(sh, all.violation);
    }
    return audited > 0 ? std::string() : noShapeFits();
}

namespace {

// What the audit depends on: the node configuration, never the sizes.
struct Key {
    std::uint64_t bugs;
    int maxBatch;
    bool emptyHeartbeats, checkQuorum, asyncWrites, preVote, followerReads, fifo;
    int transfers, reads, spares, configChanges, snapshots;
    friend bool operator==(const Key&, const Key&) = default;
};

Key keyOf(const Bounds& b) {
    return {b.bugs.bits(),  b.maxBatch,          b.emptyHeartbeats, b.checkQuorum,
            b.asyncWrites,  b.preVoteOn(),       b.followerReadsOn(), b.fifo, b.transfers,
            b.reads,        b.spares,            b.configChanges,   b.snapshots};
}

}  // namespace

bool deadRulesCover(const Bounds& b) { return !b.checkQuorum && !b.asyncWrites && !b.preVoteOn(); }

// Node sets in configurations, snapshots and catch-ups are renamed with the rest, and
// the spares are never renamed (perms.hpp); async writes keep per-node write queues in
// order, which the renaming does not cover.
bool symmetryCovers(const Bounds& b) { return !b.asyncWrites; }

const ReductionVerdict& auditReductions(const Bounds& b) {
    static const ReductionVerdict kNothingToAudit;
    const bool dead = b.dropDead && deadRulesCover(b);
    const bool symmetry = b.symmetry && symmetryCovers(b) && b.servers() > 1;
    if (!dead && !symmetry) return kNothingToAudit;

    struct Entry {
        Key key;
        bool dead, symmetry;  // which reductions were audited
        ReductionVerdict verdict;
    };
    static std::mutex mutex;
    static std::deque<Entry> audited;  // a deque: references to entries stay valid
    const std::lock_guard lock(mutex);
    const Key key = keyOf(b);
    for (const Entry& e : audited) {
        if (e.key == key && (e.dead || !dead) && (e.symmetry || !symmetry)) return e.verdict;
    }
    Entry& e = audited.emplace_back(Entry{key, dead, symmetry, {}});
    if (dead) e.verdict.deadWhy = knownToBreakDeadRules(b.bugs);
    if (dead && e.verdict.deadWhy.empty()) e.verdict.deadWhy = auditDeadMessages(b);
    if (symmetry) e.verdict.symmetryWhy = auditSymmetry(b);
    e.verdict.deadHolds = e.verdict.deadWhy.empty();
    e.verdict.symmetryHolds = e.verdict.symmetryWhy.empty();
    return e.verdict;
}

}  // namespace mc
