#include "traces/model_replay.hpp"

#include <fmt/format.h>

namespace traces {

namespace {

std::string stepLine(const mc::ModelTrace& t, std::size_t k) {
    return mc::toJson(t.steps[k], k + 1, &t.records[k]).dump();
}

// Why the replayed path has no step k: it broke a property earlier, or could not go on.
std::string missing(const mc::Rerun& replayed) {
    if (!replayed.stopped.empty()) return "(none: " + replayed.stopped + ")";
    return fmt::format("(none: the path ended with a violation at step {})", replayed.trace.steps.size());
}

// A trace written before records showed configurations and snapshots (NodeRecord::shown)
// has none, even with membership changes in its bounds: then they are not compared.
bool sameRecord(const mc::StepRecord& recorded, mc::StepRecord replayed) {
    if (recorded.nodes.size() != replayed.nodes.size()) return false;
    for (std::size_t i = 0; i < recorded.nodes.size(); ++i) {
        mc::NodeRecord& n = replayed.nodes[i];
        if (!recorded.nodes[i].shown) {
            n = mc::NodeRecord{n.down, n.role, n.currentTerm, n.votedFor, n.commitIndex, n.log};
        }
    }
    return recorded == replayed;
}

std::optional<std::size_t> firstDivergence(const mc::ModelTrace& a, const mc::ModelTrace& b) {
    const std::size_t n = std::max(a.steps.size(), b.steps.size());
    for (std::size_t k = 0; k < n; ++k) {
        if (k >= a.steps.size() || k >= b.steps.size()) return k;
        if (!mc::sameEvent(a.steps[k], b.steps[k]) || !sameRecord(a.records[k], b.records[k])) return k;
    }
    return std::nullopt;
}

}  // namespace

std::string verdictText(const std::optional<mc::TraceVerdict>& v) {
    if (!v) return "no property violated along the path";
    return fmt::format("VIOLATED {} at step {}: {}", v->property, v->step, v->details);
}

Comparison compare(const mc::ModelTrace& recorded, const mc::Rerun& replayed) {
    const mc::ModelTrace& a = recorded;
    const mc::ModelTrace& b = replayed.trace;
    if (const std::optional<std::size_t> k = firstDivergence(a, b)) {
        const std::string left = *k < a.steps.size() ? stepLine(a, *k) : "(none: the recorded path ends before it)";
        const std::string right = *k < b.steps.size() ? stepLine(b, *k) : missing(replayed);
        return Comparison{false, fmt::format("diverged at event {}:\n  recorded: {}\n  replayed: {}", *k + 1, left, right)};
    }
    const std::string violated = b.verdict ? b.verdict->property : "";
    if (a.verdict != b.verdict) {
        return Comparison{false, fmt::format("diverged in the verdict after {} identical events:\n"
                                             "  recorded: {}\n  replayed: {}",
                                             a.steps.size(), verdictText(a.verdict), verdictText(b.verdict)),
                          violated};
    }
    return Comparison{true, fmt::format("identical: {} events, verdict: {}", a.steps.size(), verdictText(b.verdict)),
                      violated};
}

}  // namespace traces
