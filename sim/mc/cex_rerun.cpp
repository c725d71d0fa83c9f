#include "sim/mc/cex_json.hpp"

#include <fmt/format.h>


#include "core/assert.hpp"
#include "sim/mc/cex_json_fields.hpp"

namespace mc {

using namespace trace_fields;

namespace {

std::optional<Event> findEnabled(const Model& model, const State& s, const PathStep& step) {
    std::vector<Event> events;
    model.enabled(s, events);
    for (const Event& e : events) {
        if (e.kind != step.event.kind || e.node != step.event.node) continue;
        if (carriesMessage(e.kind) && !(model.message(e.msg) == step.message)) continue;
        if (e.kind == EventKind::Timeout && e.timer != step.event.timer) continue;
        if (carriesValue(e.kind) && e.value != step.event.value) continue;
        return e;
    }
    return std::nullopt;
}

}  // namespace

NodeRecord nodeRecord(const raft::Node& n, bool down, bool withConfig) {
    NodeRecord r{down, n.role(), n.currentTerm(), n.votedFor(), n.commitIndex(), {}};
    for (const raft::Entry& e : n.log().entries()) r.log.push_back(e.term);
    if (withConfig) {
        r.shown = true;
        r.voters = n.membership().voters;
        r.learners = n.membership().learners;
        r.snapshotIndex = n.log().snapshotIndex();
        r.snapshotTerm = n.log().snapshotTerm();
    }
    return r;
}

StepRecord snapshot(const Model& model, const State& s) {
    StepRecord r;
    for (int i = 0; i < model.bounds().servers(); ++i) {
        r.nodes.push_back(nodeRecord(model.node(s, i), (s.env[i] & kUp) == 0, model.bounds().changesConfigOrLog()));
    }
    for (const BagItem& item : s.bag) r.inFlight += item.count;
    return r;
}

std::string describe(const PathStep& step) {
    const Event& e = step.event;
    if (carriesMessage(e.kind)) return fmt::format("{} {}", name(e.kind), describe(step.message));
    switch (e.kind) {
        case EventKind::Timeout: return fmt::format("timeout node {} {}", e.node, timerName(e.timer));
        case EventKind::Client: return fmt::format("client value {} to node {}", e.value, e.node);
        case EventKind::Transfer:
        case EventKind::Read:
        case EventKind::Change:
        case EventKind::Snapshot: return describeInput(e);
        default: return fmt::format("{} node {}", name(e.kind), e.node);
    }
}

bool sameEvent(const PathStep& a, const PathStep& b) {
    const Event& x = a.event;
    const Event& y = b.event;
    if (x.kind != y.kind || x.node != y.node) return false;
    if (carriesMessage(x.kind)) return a.message == b.message;
    if (x.kind == EventKind::Timeout) return x.timer == y.timer;
    return !carriesValue(x.kind) || x.value == y.value;
}

Rerun rerun(const ModelTrace& path, const StepObserver& onStep) {
    Rerun out{ModelTrace{.producer = path.producer, .repro = path.repro, .bounds = path.bounds}, {}};
    Model model(path.bounds);
    State s = model.initial();
    State next;
    for (std::size_t k = 0; k < path.steps.size(); ++k) {
        const std::optional<Event> e = findEnabled(model, s, path.steps[k]);
        if (!e) {
            out.stopped = fmt::format("step {} ({}) is not enabled", k + 1, describe(path.steps[k]));
            break;
        }
        const StepResult r = model.step(s, *e, next);
        if (!r.inBounds) {
            out.stopped = fmt::format("step {} ({}) leaves the bounds", k + 1, describe(path.steps[k]));
            break;
        }
        const raft::Message m = carriesMessage(e->kind) ? model.message(e->msg) : raft::Message{};
        out.trace.steps.push_back(PathStep{*e, m, model.describe(*e)});
        out.trace.records.push_back(snapshot(model, next));
        if (onStep) onStep(k, model, next);
        s = next;
        if (r.violation) {
            out.trace.verdict = TraceVerdict{r.violation->property, k + 1, r.violation->details};
            break;
        }
    }
    return out;
}

ModelTrace record(const Bounds& bounds, const Counterexample& cex, std::string repro) {
    ModelTrace path{.repro = std::move(repro), .bounds = bounds, .steps = cex.steps};
    ModelTrace t = rerun(path).trace;
    RAFT_ASSERT(t.steps.size() == cex.steps.size() && t.verdict.has_value() &&
                    t.verdict->property == cex.violation.property,
                "the counterexample did not re-execute: {} of {} steps", t.steps.size(), cex.steps.size());
    return t;
}

std::optional<McViolation> replayPath(const ModelTrace& path) {
    const Rerun r = rerun(path);
    if (!r.stopped.empty()) throw std::runtime_error(r.stopped);
    if (!r.trace.verdict) return std::nullopt;
    return McViolation{r.trace.verdict->property, r.trace.verdict->details};
}

}  // namespace mc
