// Explanations of model steps (traces/explain.hpp says why): for a delivery, why the
// receiver answered as it did; for a membership change, the leader's answer; for every
// node whose commitIndex grew, the quorum behind it; every configuration that took
// effect, catch-up round and snapshot taken. Used by the scenario session, `replay --steps` and the exports.
#pragma once

#include <string>
#include <vector>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/model.hpp"

namespace traces {

struct StepWhy {
    std::string why;                 // a delivery: "granted: ...", "rejected: ..."; a change: the answer
    std::vector<std::string> notes;  // "n0 commits 1 (1,t1): held by ...", "n3 configuration: ..."
};
StepWhy explainStep(const mc::Model& model, const mc::State& before, const mc::Event& e,
                                     const mc::State& after);

// Follows a recorded path on a model of its own, explaining each step in turn. Once a
// step cannot be followed (not enabled where it stands), explains nothing more.
class PathExplainer {
public:
    explicit PathExplainer(const mc::Bounds& bounds);
    StepWhy next(const mc::PathStep& step);

private:
    mc::Model model_;
    mc::State state_;
    bool lost_ = false;
};

}  // namespace traces
