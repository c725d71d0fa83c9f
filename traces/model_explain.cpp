#include "traces/model_explain.hpp"

#include <fmt/format.h>

#include "sim/mc/cex_json_fields.hpp"
#include "traces/explain.hpp"

namespace traces {

namespace {

bool stepsNode(mc::EventKind kind) {
    using K = mc::EventKind;
    return kind == K::Deliver || kind == K::Timeout || kind == K::Client || kind == K::Transfer || kind == K::Read ||
           kind == K::Change || kind == K::Snapshot;
}

// The leader's answers to membership changes in the step: the answer to a Change event,
// or a catch-up that ended in a delivery (§4.2.1).
void changeReplies(const mc::Model& model, const mc::State& before, const mc::Event& e, StepWhy& out) {
    for (const raft::Action& a : model.actionsOf(before, e)) {
        const auto* reply = std::get_if<raft::ChangeReply>(&a);
        if (reply == nullptr) continue;
        if (e.kind == mc::EventKind::Change) {
            out.why = explainChangeReply(*reply);
        } else {
            out.notes.push_back(fmt::format("n{} {}", e.node, explainChangeReply(*reply)));
        }
    }
}

void membershipNotes(raft::NodeId id, const raft::Node& was, const raft::Node& now, const mc::Event& e, StepWhy& out) {
    if (const auto c = explainCatchUp(was, now)) out.notes.push_back(fmt::format("n{} {}", id, *c));
    if (const auto c = explainConfiguration(id, was, now)) out.notes.push_back(*c);
    if (e.kind == mc::EventKind::Snapshot && e.node == id) {
        if (const auto c = explainSnapshotTaken(id, was, now)) out.notes.push_back(*c);
    }
}

}  // namespace

StepWhy explainStep(const mc::Model& model, const mc::State& before, const mc::Event& e, const mc::State& after) {
    StepWhy out;
    if (e.kind == mc::EventKind::Deliver) {
        const raft::Message& m = model.message(e.msg);
        out.why = explainReceive(model.node(before, m.to), m).text;
    }
    const bool membership = model.bounds().changesConfigOrLog();
    if (membership && stepsNode(e.kind)) changeReplies(model, before, e, out);
    for (int i = 0; i < model.bounds().servers(); ++i) {
        if ((before.env[i] & mc::kUp) == 0 || (after.env[i] & mc::kUp) == 0) continue;
        const raft::Node& was = model.node(before, i);
        const raft::Node& now = model.node(after, i);
        if (const auto c = explainCommit(was, now)) out.notes.push_back(fmt::format("n{} {}", i, *c));
        if (membership) membershipNotes(static_cast<raft::NodeId>(i), was, now, e, out);
    }
    return out;
}

PathExplainer::PathExplainer(const mc::Bounds& bounds) : model_(bounds), state_(model_.initial()) {}

StepWhy PathExplainer::next(const mc::PathStep& step) {
    if (lost_) return {};
    mc::Event e = step.event;
    if (mc::trace_fields::carriesMessage(e.kind)) {
        lost_ = true;
        for (const mc::BagItem& item : state_.bag) {
            if (model_.message(item.msg) == step.message) {
                e.msg = item.msg;
                lost_ = false;
            }
        }
        if (lost_) return {};
    }
    mc::State next;
    const mc::StepResult r = model_.step(state_, e, next);
    if (!r.inBounds) {
        lost_ = true;
        return {};
    }
    StepWhy out = explainStep(model_, state_, e, next);
    state_ = std::move(next);
    return out;
}

}  // namespace traces
