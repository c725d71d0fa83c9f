#include "traces/model_export.hpp"

#include <deque>
#include <map>

namespace traces {

namespace {

// For each message in flight (by id in one model), the steps that sent its copies, oldest
// first; learns the sender of each delivered or dropped message as the path goes.
class Senders {
public:
    // Called with the state after step k (0-based) of `path`.
    void after(std::size_t k, const mc::PathStep& step, const mc::Model& model, const mc::State& s) {
        const bool carries = step.event.kind == mc::EventKind::Deliver || step.event.kind == mc::EventKind::Drop;
        if (carries) sentBy_.push_back(takeOldest(model, step.message));
        else sentBy_.push_back(0);
        std::map<std::uint32_t, std::deque<std::uint64_t>> now;
        for (const mc::BagItem& item : s.bag) {
            std::deque<std::uint64_t>& q = now[item.msg];
            q = std::move(copies_[item.msg]);
            while (q.size() > item.count) q.pop_front();  // copies that died
            while (q.size() < item.count) q.push_back(k + 1);
        }
        copies_ = std::move(now);
    }
    std::uint64_t sender(std::size_t k) const { return sentBy_[k]; }

private:
    std::uint64_t takeOldest(const mc::Model& model, const raft::Message& m) {
        for (auto& [id, q] : copies_) {
            if (model.message(id) == m && !q.empty()) {
                const std::uint64_t sent = q.front();
                q.pop_front();
                return sent;
            }
        }
        return 0;
    }

    std::map<std::uint32_t, std::deque<std::uint64_t>> copies_;
    std::vector<std::uint64_t> sentBy_;
};

sim::EventKind kindOf(mc::EventKind k) {
    switch (k) {
        case mc::EventKind::Deliver:
        case mc::EventKind::Drop: return sim::EventKind::Deliver;
        case mc::EventKind::Timeout: return sim::EventKind::Timer;
        case mc::EventKind::Client:
        case mc::EventKind::Read: return sim::EventKind::ClientArrive;
        case mc::EventKind::Transfer:
        // The operator's membership changes and the state machine's snapshots are drawn as
        // the operator's input they are, until the simulator's trace has kinds for them.
        case mc::EventKind::Change:
        case mc::EventKind::Snapshot: return sim::EventKind::Transfer;
        case mc::EventKind::Restart: return sim::EventKind::Restart;
        case mc::EventKind::DiskDone: return sim::EventKind::DiskDone;
        case mc::EventKind::Crash:
        case mc::EventKind::Duplicate: return sim::EventKind::Nemesis;
    }
    return sim::EventKind::End;
}

sim::EventRecord eventOf(const mc::PathStep& step, std::size_t k, const mc::StepRecord& after, std::uint64_t sent) {
    const mc::EventKind kind = step.event.kind;
    sim::EventRecord e{.index = k + 1, .timeUs = static_cast<sim::Micros>(k + 1), .kind = kindOf(kind)};
    if (kind == mc::EventKind::Duplicate) return e;  // no node, no fault: drawn as nothing
    e.node = step.event.node;
    e.stepped = kind != mc::EventKind::Drop && kind != mc::EventKind::Crash;
    if (kind == mc::EventKind::Timeout) e.ref = static_cast<std::uint32_t>(step.event.timer);
    if (kind == mc::EventKind::Crash) e.fault = sim::Nemesis::Crash;
    if (e.kind == sim::EventKind::Deliver) {
        e.msgKind = step.message.kind;
        e.from = step.message.from;
        e.msgTerm = step.message.term;
        e.sentEvent = sent;
    }
    const mc::NodeRecord& n = after.nodes[step.event.node];
    e.up = !n.down;
    if (e.up) {
        e.role = n.role;
        e.term = n.currentTerm;
        e.commitIndex = n.commitIndex;
        e.lastIndex = n.log.size();
    }
    return e;
}

}  // namespace

Trace asSimulatorTrace(const mc::ModelTrace& path) {
    Senders senders;
    const mc::Rerun r = mc::rerun(path, [&](std::size_t k, const mc::Model& model, const mc::State& s) {
        senders.after(k, path.steps[k], model, s);
    });
    Trace t;
    t.repro = path.repro;
    t.options.nodes = path.bounds.servers();
    for (std::size_t k = 0; k < r.trace.steps.size(); ++k) {
        t.events.push_back(eventOf(r.trace.steps[k], k, r.trace.records[k], senders.sender(k)));
    }
    return t;
}

}  // namespace traces
