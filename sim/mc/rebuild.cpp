#include "core/assert.hpp"
#include "sim/mc/search_common.hpp"

namespace mc {

namespace {

PathStep stepOf(const Model& model, const Event& e) {
    const bool carries = e.kind == EventKind::Deliver || e.kind == EventKind::Drop ||
                         e.kind == EventKind::Duplicate;
    return PathStep{e, carries ? model.message(e.msg) : raft::Message{}, model.describe(e)};
}

}  // namespace

Counterexample rebuild(Model& model, const std::vector<std::uint64_t>& fps, const Found& found) {
    Counterexample cex{found.violation, {}};
    State s = model.initial();
    State next;
    std::vector<Event> events;
    RAFT_ASSERT(!fps.empty() && model.fingerprint(s) == fps[0] && fps.back() == found.parentFp,
                "the path does not lead from the initial state to the violating step");
    for (std::size_t k = 1; k < fps.size(); ++k) {
        model.enabled(s, events);
        bool advanced = false;
        for (const Event& e : events) {
            const StepResult r = model.step(s, e, next);
            if (!r.inBounds || model.fingerprint(next) != fps[k]) continue;
            cex.steps.push_back(stepOf(model, e));
            s = next;
            advanced = true;
            break;
        }
        RAFT_ASSERT(advanced, "no event leads to step {} of the counterexample", k);
    }
    // The last step: the same violation, possibly under renamed node ids.
    model.enabled(s, events);
    std::optional<PathStep> any;
    for (const Event& e : events) {
        const StepResult r = model.step(s, e, next);
        if (!r.inBounds || !r.violation) continue;
        if (r.violation->property == found.violation.property) {
            cex.violation = *r.violation;
            cex.steps.push_back(stepOf(model, e));
            return cex;
        }
        if (!any) {
            any = stepOf(model, e);
            cex.violation = *r.violation;
        }
    }
    RAFT_ASSERT(any.has_value(), "the violating step did not repeat");
    cex.steps.push_back(*any);
    return cex;
}

}  // namespace mc
