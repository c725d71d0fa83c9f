#include "sim/mc/shorten.hpp"

#include <stdexcept>

namespace mc {

namespace {

// The path re-executed, if it is still one and still breaks `property`.
std::optional<ModelTrace> stillFails(const ModelTrace& base, std::vector<PathStep> steps,
                                     const std::string& property) {
    ModelTrace candidate{.repro = base.repro, .bounds = base.bounds, .steps = std::move(steps)};
    Rerun r = rerun(candidate);
    if (!r.stopped.empty() || !r.trace.verdict || r.trace.verdict->property != property) return std::nullopt;
    return std::move(r.trace);
}

// One pass of deletions of `chunk` steps, from the end back; true if any was kept.
bool deleteChunks(ModelTrace& best, std::size_t chunk, const std::string& property) {
    bool shorter = false;
    for (std::size_t end = best.steps.size(); end > 0;) {
        const std::size_t from = end > chunk ? end - chunk : 0;
        std::vector<PathStep> steps(best.steps.begin(), best.steps.begin() + static_cast<std::ptrdiff_t>(from));
        steps.insert(steps.end(), best.steps.begin() + static_cast<std::ptrdiff_t>(end), best.steps.end());
        if (std::optional<ModelTrace> t = stillFails(best, std::move(steps), property)) {
            best = std::move(*t);
            shorter = true;
            end = std::min(from, best.steps.size());
        } else {
            end = from;
        }
    }
    return shorter;
}

}  // namespace

ModelTrace shorten(const ModelTrace& trace) {
    if (!trace.verdict) throw std::runtime_error("the path breaks no property: nothing to shorten");
    const std::string property = trace.verdict->property;
    std::optional<ModelTrace> best = stillFails(trace, trace.steps, property);
    if (!best) throw std::runtime_error("the path does not re-execute to a " + property + " violation");
    for (bool shorter = true; shorter;) {
        shorter = false;
        for (std::size_t chunk = std::max<std::size_t>(1, best->steps.size() / 2);; chunk /= 2) {
            shorter |= deleteChunks(*best, chunk, property);
            if (chunk == 1) break;
        }
    }
    best->producer = trace.producer;
    return *best;
}

}  // namespace mc
