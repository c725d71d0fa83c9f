#include "traces/scenario/start.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/mc/cex_json.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/run_file.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

namespace scenario {

namespace {

Start fromTrace(const mc::ModelTrace& trace) {
    Start start{.nodes = trace.bounds.nodes, .bugs = trace.bounds.bugs, .checkQuorum = trace.bounds.checkQuorum};
    start.disks.resize(static_cast<std::size_t>(start.nodes));
    mc::rerun(trace, [&](std::size_t, const mc::Model& model, const mc::State& s) {
        for (int i = 0; i < start.nodes; ++i) start.disks[static_cast<std::size_t>(i)] = model.durable(s, i);
    });
    return start;
}

}  // namespace

Start startOf(const std::string& path) {
    try {
        const Script script = parseScript(readAll(path), /*missingBlocksAllowed=*/true);
        const RunResult r = runScript(script, /*rewriting=*/true);
        if (r.trace.bounds.changesConfigOrLog()) {
            throw ScenarioError(0, "it changes membership or takes snapshots; the simulator starts only from the "
                                   "disks of a fixed cluster without snapshots");
        }
        if (r.trace.verdict) {
            throw ScenarioError(0, fmt::format("it ends in a violation of {}, not a state to start from",
                                               r.trace.verdict->property));
        }
        return fromTrace(r.trace);
    } catch (const ScenarioError& e) {
        throw std::runtime_error(e.line() > 0 ? fmt::format("{}:{}: {}", path, e.line(), e.message())
                                              : fmt::format("{}: {}", path, e.message()));
    }
}

}  // namespace scenario
