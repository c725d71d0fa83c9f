// Writes that take steps of their own (Bounds::asyncWrites): a node's writes wait in
// order for disk events, what it sent after a write waits for that write, and a crash
// loses both (thesis §3.8). When a write completes, the node hears what is durable
// (raft::Persisted), as it does from the simulator's disks.
#include "sim/mc/model.hpp"

#include <algorithm>

namespace mc {

namespace {

PendingWrites writesOf(const Tables& tables, const State& s, int i) {
    return s.pending[i] == 0 ? PendingWrites{} : tables.pendingItem(s.pending[i] - 1).writes;
}

// Copies of `msg` in flight or held (a leader that heartbeats while its write is pending
// would otherwise hold ever more of them): they count toward Bounds::maxCopies.
std::size_t copies(const State& s, const PendingWrites& writes, std::uint32_t msg) {
    std::size_t n = 0;
    for (const BagItem& b : s.bag) n += b.msg == msg ? b.count : 0;
    for (const PendingWrite& w : writes) n += static_cast<std::size_t>(std::count(w.held.begin(), w.held.end(), msg));
    return n;
}

}  // namespace

// The step's writes join the node's queue; each send waits for the last write issued
// before it (an earlier step's, or this step's), or goes out if there is none.
bool Model::issueWrites(int i, const NodeStep& step, State& next) {
    PendingWrites writes = writesOf(tables_, next, i);
    const std::size_t before = writes.size();
    raft::DurableState disk = before == 0 ? durable(next, i) : tables_.durableItem(writes.back().durableAfter).durable;
    for (const raft::Action& action : step.persists) {
        applyWrite(i, action, disk);
        writes.push_back(PendingWrite{tables_.durable(disk), {}});
    }
    for (std::size_t k = 0; k < step.sends.size(); ++k) {
        const std::size_t waitsFor = before + step.writesBefore[k];
        if (waitsFor == 0) {
            if (!addMessage(next, step.sends[k])) return false;
        } else {
            if (copies(next, writes, step.sends[k]) >= static_cast<std::size_t>(bounds_.maxCopies)) return false;
            writes[waitsFor - 1].held.push_back(step.sends[k]);
        }
    }
    next.pending[i] = writes.empty() ? 0 : tables_.pending(writes) + 1;
    return true;
}

// The oldest write of the node completes: its state is durable, what waited on it is
// sent, and the node steps on the report of what its disk now holds.
StepResult Model::completeWrite(const State& s, const Event& e, State& next) {
    const int i = e.node;
    PendingWrites writes = writesOf(tables_, s, i);
    RAFT_ASSERT(!writes.empty(), "node {} has no write in flight", i);
    next.durable[i] = writes.front().durableAfter;
    for (const std::uint32_t msg : writes.front().held) {
        if (!addMessage(next, msg)) return {.inBounds = false};
    }
    writes.erase(writes.begin());
    next.pending[i] = writes.empty() ? 0 : tables_.pending(writes) + 1;
    Event report = e;
    report.value = packPersisted(durable(next, i));
    return stepNode(s, report, next);
}

// Terms and indexes are bounded by kMaxTerm and kMaxLog: 8 bits each is ample.
std::uint32_t Model::packPersisted(const raft::DurableState& d) {
    const raft::Term lastTerm = d.log.empty() ? 0 : d.log.back().term;
    RAFT_ASSERT(d.currentTerm < 256 && d.log.size() < 256 && lastTerm < 256, "term={} log={}", d.currentTerm,
                d.log.size());
    return static_cast<std::uint32_t>(d.currentTerm << 16 | d.log.size() << 8 | lastTerm);
}

raft::Persisted Model::unpackPersisted(std::uint32_t value) {
    return raft::Persisted{value >> 16, (value >> 8) & 0xFF, value & 0xFF};
}

}  // namespace mc
