#include "traces/scenario/session.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/mc/cex_json_fields.hpp"
#include "traces/model_explain.hpp"
#include "traces/stepper.hpp"

namespace scenario {

namespace {

bool sameEvent(const mc::Event& a, const mc::Event& b) {
    if (a.kind != b.kind || a.node != b.node) return false;
    if (mc::trace_fields::carriesMessage(a.kind)) return a.msg == b.msg;
    if (a.kind == mc::EventKind::Timeout) return a.timer == b.timer;
    return !mc::trace_fields::carriesValue(a.kind) || a.value == b.value;
}

std::uint32_t copies(const mc::State& s, std::uint32_t msg) {
    for (const mc::BagItem& item : s.bag) {
        if (item.msg == msg) return item.count;
    }
    return 0;
}

// Why the model does not enable `e` where the scenario stands.
std::string whyNot(const mc::Model& model, const mc::State& s, const mc::Event& e) {
    if (e.kind == mc::EventKind::Restart) return fmt::format("node {} is not down", e.node);
    if ((s.env[e.node] & mc::kUp) == 0) return fmt::format("node {} is down", e.node);
    switch (e.kind) {
        case mc::EventKind::Timeout:
            return e.timer == raft::Timer::Heartbeat
                       ? fmt::format("node {} has no heartbeat timer armed (only a leader has)", e.node)
                       : fmt::format("node {} has no election timer armed (a leader has none without check-quorum), "
                                     "or its term is at the model's bound {}", e.node, model.bounds().maxTerm);
        case mc::EventKind::Client:
            return fmt::format("node {} is not a leader, or its log holds {} entries, the model's bound", e.node,
                               model.bounds().maxLog);
        case mc::EventKind::Duplicate:
            return fmt::format("{} copies is the model's bound", model.bounds().maxCopies);
        case mc::EventKind::DiskDone:
            return model.bounds().asyncWrites ? fmt::format("node {} has no write in flight", e.node)
                                              : "writes are instant unless the cluster has async-writes";
        case mc::EventKind::Transfer:
            return model.bounds().transfers > 0
                       ? fmt::format("node {} is not a leader, or the cluster's {} transfers are used up", e.node,
                                     model.bounds().transfers)
                       : "the cluster has no transfers (cluster N transfers)";
        case mc::EventKind::Read:
            return model.bounds().reads > 0 ? fmt::format("the cluster's {} reads are used up", model.bounds().reads)
                                            : "the cluster has no reads (cluster N reads)";
        case mc::EventKind::Change:
            return fmt::format("the cluster's {} membership changes are used up", model.bounds().configChanges);
        case mc::EventKind::Snapshot:
            return fmt::format("the cluster's {} snapshots are used up", model.bounds().snapshots);
        default: return "the model does not enable it";
    }
}

}  // namespace

mc::Bounds boundsFor(const ClusterSpec& spec) {
    mc::Bounds b;
    b.nodes = spec.nodes;
    b.maxTerm = mc::kMaxTerm;
    b.maxLog = mc::kMaxLog;
    b.maxCopies = mc::kMaxCopies;
    b.maxBatch = spec.batch;
    b.maxCrashes = 255;
    b.drop = true;
    b.duplicate = true;
    b.values = kValues;
    b.symmetry = false;
    b.dropDead = false;
    b.emptyHeartbeats = spec.emptyHeartbeats;
    b.checkQuorum = spec.checkQuorum;
    b.asyncWrites = spec.asyncWrites;
    b.preVote = spec.preVote;
    b.followerReads = spec.followerReads;
    b.transfers = spec.transfers ? mc::kMaxTransfers : 0;
    b.reads = spec.reads || spec.followerReads ? mc::kMaxReads : 0;
    b.spares = spec.spares;
    b.configChanges = spec.membership ? mc::kMaxConfigChanges : 0;
    b.snapshots = spec.snapshots ? mc::kMaxSnapshots : 0;
    b.bugs = spec.bugs;
    return b;
}

Session::Session(const mc::Bounds& bounds) : model_(bounds), state_(model_.initial()) {
    trace_.bounds = bounds;
}

void Session::heal() { cut_ = {}; }

void Session::restore(const Mark& m) {
    state_ = m.state;
    trace_.steps.resize(m.steps);
    trace_.records.resize(m.steps);
    trace_.verdict = m.verdict;
    cut_ = m.cut;
}

std::vector<std::pair<int, int>> Session::cuts() const {
    std::vector<std::pair<int, int>> out;
    for (int a = 0; a < nodes(); ++a) {
        for (int b = 0; b < nodes(); ++b) {
            if (cut_[a][b]) out.emplace_back(a, b);
        }
    }
    return out;
}

std::vector<std::string> Session::apply(const mc::Event& e) {
    if (trace_.verdict) throw std::invalid_argument("no step can follow a violation (the path ends there)");
    std::vector<mc::Event> enabled;
    model_.enabled(state_, enabled);
    bool found = false;
    for (const mc::Event& x : enabled) found = found || sameEvent(x, e);
    const std::string text = model_.describe(e);
    if (!found) {
        throw std::invalid_argument(fmt::format("'{}' cannot happen here: {}", text, whyNot(model_, state_, e)));
    }
    mc::State next;
    const mc::StepResult r = model_.step(state_, e, next);
    if (!r.inBounds) {
        throw std::invalid_argument(fmt::format("'{}' leaves the model's bounds ({})", text, model_.bounds().describe()));
    }
    const raft::Message m = mc::trace_fields::carriesMessage(e.kind) ? model_.message(e.msg) : raft::Message{};
    trace_.steps.push_back(mc::PathStep{e, m, text});
    trace_.records.push_back(mc::snapshot(model_, next));

    std::vector<std::string> lines{text};
    const traces::StepWhy why = traces::explainStep(model_, state_, e, next);
    if (!why.why.empty()) lines.push_back("  why: " + why.why);
    const mc::StepRecord before = mc::snapshot(model_, state_);
    const mc::StepRecord& after = trace_.records.back();
    for (std::size_t i = 0; i < after.nodes.size(); ++i) {
        if (after.nodes[i] != before.nodes[i]) {
            lines.push_back("  " + traces::nodeLine(static_cast<raft::NodeId>(i), after.nodes[i]));
        }
    }
    for (const std::string& c : why.notes) lines.push_back("  " + c);
    for (const mc::BagItem& item : next.bag) {
        const std::uint32_t was = copies(state_, item.msg);
        if (item.count <= was) continue;
        const std::uint32_t added = item.count - was;
        lines.push_back(fmt::format("  + {}{}", mc::describe(model_.message(item.msg)),
                                    added > 1 ? fmt::format(" (x{})", added) : ""));
    }
    state_ = std::move(next);
    if (r.violation) {
        trace_.verdict = mc::TraceVerdict{r.violation->property, trace_.steps.size(), r.violation->details};
        lines.push_back(fmt::format("  VIOLATED {}: {}", r.violation->property, r.violation->details));
    }
    return lines;
}

}  // namespace scenario
