#include "traces/model_explain.hpp"

#include <fmt/format.h>

#include "sim/mc/cex_json_fields.hpp"
#include "traces/explain.hpp"

namespace traces {

StepWhy explainStep(const mc::Model& model, const mc::State& before, const mc::Event& e, const mc::State& after) {
    StepWhy out;
    if (e.kind == mc::EventKind::Deliver) {
        const raft::Message& m = model.message(e.msg);
        out.why = explainReceive(model.node(before, m.to), m).text;
    }
    for (int i = 0; i < model.bounds().servers(); ++i) {
        if ((before.env[i] & mc::kUp) == 0 || (after.env[i] & mc::kUp) == 0) continue;
        if (const auto c = explainCommit(model.node(before, i), model.node(after, i))) {
            out.commits.push_back(fmt::format("n{} {}", i, *c));
        }
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
