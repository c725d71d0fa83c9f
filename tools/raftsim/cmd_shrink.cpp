// `raftsim shrink FILE -o OUT`: the smallest trace found that fails the same property.
// A model-checker trace is shortened to fewer steps (sim/mc/shorten.hpp).
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/failure.hpp"
#include "traces/json_read.hpp"
#include "traces/json_write.hpp"
#include "traces/model_trace.hpp"
#include "sim/mc/shorten.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"

namespace tools {

namespace {

std::string sizeText(const traces::Trace& t) {
    const traces::TraceSize s = traces::TraceSize::of(t);
    return fmt::format("{} events, {} faults, {} client requests, {} nodes, {} choices", s.events,
                       s.faults, s.requests, s.nodes, s.choices);
}

struct ShrinkArgs {
    std::string file;
    std::string out;
    std::size_t maxRuns = traces::ShrinkOptions{}.maxRuns;
};

int shortenModel(const ShrinkArgs& a, const mc::ModelTrace& input) {
    if (!input.verdict) {
        throw traces::TraceError(fmt::format("{}: field 'verdict': null: no property was violated, nothing to shrink", a.file));
    }
    const mc::Rerun again = mc::rerun(input);
    if (!again.stopped.empty() || again.trace.verdict != input.verdict) {
        fmt::print("{}: does not replay, so it cannot be shrunk: {}\n", a.file,
                   again.stopped.empty() ? "the verdict differs" : again.stopped);
        return kViolated;
    }
    const mc::ModelTrace shorter = mc::shorten(input);
    traces::writeTrace(a.out, shorter);
    fmt::print("property: {}\nbefore:   {} steps\nafter:    {} steps\nverdict:  VIOLATED {} at step {}: {}\n"
               "trace: {}\n  replay: {}\n",
               input.verdict->property, input.steps.size(), shorter.steps.size(), shorter.verdict->property,
               shorter.verdict->step, shorter.verdict->details, a.out, replayCommand(a.out));
    return kViolated;  // the shorter path still violates the property
}

int shrinkFile(const ShrinkArgs& a) {
    traces::AnyTrace any = traces::readAnyTrace(a.file);
    if (const auto* model = std::get_if<mc::ModelTrace>(&any)) return shortenModel(a, *model);
    const traces::Trace input = std::get<traces::Trace>(std::move(any));
    if (!input.verdict) {
        throw traces::TraceError(fmt::format("{}: field 'verdict': null: no property was violated, nothing to shrink", a.file));
    }
    const traces::Comparison c = traces::compare(input, traces::rerun(input));
    if (!c.identical) {
        fmt::print("{}: does not replay, so it cannot be shrunk: {}\n", a.file, c.report);
        return kViolated;
    }
    const traces::ShrinkResult result = traces::shrink(input, traces::ShrinkOptions{.maxRuns = a.maxRuns});
    traces::writeTrace(a.out, result.trace);
    const double ratio = input.events.empty() ? 1.0
                                              : static_cast<double>(result.trace.events.size()) /
                                                    static_cast<double>(input.events.size());
    fmt::print("property: {}\nbefore:   {}\nafter:    {}\n"
               "shrunk to {:.1f}% of the events in {} re-executions\n"
               "verdict:  {}\ntrace: {}\n  replay: {}\n",
               input.verdict->property, sizeText(input), sizeText(result.trace), 100.0 * ratio,
               result.runs, traces::verdictText(result.trace.verdict), a.out, replayCommand(a.out));
    return kViolated;  // the shrunk trace still violates the property
}

}  // namespace

void addShrink(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("shrink", "shrink a failing trace to a small one that fails the same way");
    auto a = std::make_shared<ShrinkArgs>();
    cmd->add_option("FILE", a->file, "the failing trace (JSON)")->required();
    cmd->add_option("-o,--out", a->out, "where to write the shrunk trace")->required();
    cmd->add_option("--max-runs", a->maxRuns, "re-executions allowed (deterministic budget)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
    cmd->callback([a, &code] { code = shrinkFile(*a); });
}

}  // namespace tools
