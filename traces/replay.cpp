#include "traces/replay.hpp"

#include <fmt/format.h>

#include "traces/json_write.hpp"

namespace traces {

namespace {

std::string side(const std::vector<sim::EventRecord>& events, std::size_t i) {
    return i < events.size() ? toJson(events[i]).dump() : "(none: the run ended before it)";
}

}  // namespace

std::string verdictText(const std::optional<sim::Violation>& v) {
    if (!v) return "all properties held";
    return fmt::format("VIOLATED {} at event {} (t={}us): {}", v->property, v->event, v->timeUs, v->details);
}

Comparison compare(const Trace& recorded, const Trace& replayed) {
    const std::vector<sim::EventRecord>& a = recorded.events;
    const std::vector<sim::EventRecord>& b = replayed.events;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
        return Comparison{false, fmt::format("diverged at event {}:\n  recorded: {}\n  replayed: {}",
                                             i + 1, side(a, i), side(b, i))};
    }
    const bool sameVerdict = recorded.verdict.has_value() == replayed.verdict.has_value() &&
                             (!recorded.verdict || (recorded.verdict->property == replayed.verdict->property &&
                                                    recorded.verdict->event == replayed.verdict->event &&
                                                    recorded.verdict->timeUs == replayed.verdict->timeUs &&
                                                    recorded.verdict->details == replayed.verdict->details));
    if (!sameVerdict) {
        return Comparison{false, fmt::format("diverged in the verdict after {} identical events:\n"
                                             "  recorded: {}\n  replayed: {}",
                                             n, verdictText(recorded.verdict), verdictText(replayed.verdict))};
    }
    return Comparison{true, fmt::format("identical: {} events, verdict: {}", n, verdictText(replayed.verdict))};
}

}  // namespace traces
