#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "traces/describe_event.hpp"
#include "traces/export.hpp"
#include "traces/lin_witness.hpp"

namespace traces {

namespace {

// By host: the nodes, then the clients (hosts of the linearizability witness's operations
// only); 0: no event of that host known.
using Clock = std::vector<std::uint64_t>;

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

std::string hostName(std::size_t host, std::size_t nodes) {
    return host < nodes ? fmt::format("n{}", host) : fmt::format("c{}", host - nodes);
}

std::string clockJson(const Clock& clock, std::size_t nodes) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t n = 0; n < clock.size(); ++n) {
        if (clock[n] != 0) j[hostName(n, nodes)] = clock[n];  // ShiViz rejects 0 entries
    }
    return j.dump();
}

void merge(Clock& into, const Clock& from) {
    for (std::size_t n = 0; n < into.size(); ++n) into[n] = std::max(into[n], from[n]);
}

}  // namespace

// The operations of a linearizability witness are events of their clients' hosts, at
// the trace events where they were invoked and completed, tagged `lin-witness:` in their
// description; a completion during a node's step merges that node's clock (its step
// answered the client).
std::string exportShiviz(const Trace& trace) {
    const auto nodes = static_cast<std::size_t>(sim::hostCount(trace.options));
    const std::size_t hosts = nodes + (trace.witness ? static_cast<std::size_t>(trace.options.workload.clients) : 0);
    const auto marks = trace.witness ? witnessMarks(*trace.witness) : std::multimap<std::uint64_t, WitnessMark>{};
    std::vector<History> history(nodes);
    std::vector<Clock> clock(hosts, Clock(hosts, 0));
    std::string out = fmt::format("{}\n\n", kShivizRegex);
    for (const sim::EventRecord& e : trace.events) {
        const bool nodeLogged = logged(e);
        if (nodeLogged) {
            Clock& c = clock[e.node];
            if (e.kind == sim::EventKind::Deliver && e.from < nodes) {
                if (const Clock* sent = clockAt(history[e.from], e.sentEvent)) {
                    for (std::size_t n = 0; n < nodes; ++n) c[n] = std::max(c[n], (*sent)[n]);
                }
            }
            c[e.node] += 1;
            history[e.node].emplace_back(e.index, c);
            out += fmt::format("n{} {}\n#{} t={}us {} -> {}\n", e.node, clockJson(c, nodes), e.index, e.timeUs,
                               stepName(e), stateText(e));
        }
        const auto [from, to] = marks.equal_range(e.index);
        for (auto it = from; it != to; ++it) {
            const std::size_t host = nodes + static_cast<std::size_t>(it->second.op->client);
            Clock& c = clock[host];
            if (!it->second.invoke && nodeLogged) merge(c, clock[e.node]);
            c[host] += 1;
            out += fmt::format("{} {}\n#{} t={}us {}\n", hostName(host, nodes), clockJson(c, nodes), e.index, e.timeUs,
                               markText(it->second));
        }
    }
    return out;
}

}  // namespace traces
