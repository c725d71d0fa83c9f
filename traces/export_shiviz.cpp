#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "traces/describe_event.hpp"
#include "traces/export.hpp"

namespace traces {

namespace {

using Clock = std::vector<std::uint64_t>;  // by node; 0: no event of that node known

// A host's logged events: (trace event index, clock after it), in order.
using History = std::vector<std::pair<std::uint64_t, Clock>>;

bool logged(const sim::EventRecord& e) {
    if (e.node == raft::kNoNode) return false;
    return e.stepped || (e.kind == sim::EventKind::Nemesis && e.fault != sim::Nemesis::Count_);
}

// The clock of `node`'s last logged event at or before trace event `index`, if any.
const Clock* clockAt(const History& history, std::uint64_t index) {
    const auto it = std::upper_bound(history.begin(), history.end(), index,
                                     [](std::uint64_t i, const auto& entry) { return i < entry.first; });
    return it == history.begin() ? nullptr : &std::prev(it)->second;
}

std::string clockJson(const Clock& clock) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t n = 0; n < clock.size(); ++n) {
        if (clock[n] != 0) j[fmt::format("n{}", n)] = clock[n];  // ShiViz rejects 0 entries
    }
    return j.dump();
}

}  // namespace

std::string exportShiviz(const Trace& trace) {
    const auto nodes = static_cast<std::size_t>(trace.options.nodes);
    std::vector<History> history(nodes);
    std::vector<Clock> clock(nodes, Clock(nodes, 0));
    std::string out = fmt::format("{}\n\n", kShivizRegex);
    for (const sim::EventRecord& e : trace.events) {
        if (!logged(e)) continue;
        Clock& c = clock[e.node];
        if (e.kind == sim::EventKind::Deliver && e.from < nodes) {
            if (const Clock* sent = clockAt(history[e.from], e.sentEvent)) {
                for (std::size_t n = 0; n < nodes; ++n) c[n] = std::max(c[n], (*sent)[n]);
            }
        }
        c[e.node] += 1;
        history[e.node].emplace_back(e.index, c);
        out += fmt::format("n{} {}\n#{} t={}us {} -> {}\n", e.node, clockJson(c), e.index, e.timeUs,
                           stepName(e), stateText(e));
    }
    return out;
}

}  // namespace traces
