// `raftsim export FILE --format perfetto|shiviz|html -o OUT`: a trace for outside
// viewers, or a self-contained page that plays it in a browser. A model-checker trace is
// drawn with its step numbers as the time.
#include <fmt/format.h>

#include <filesystem>

#include "tools/raftsim/commands.hpp"
#include "traces/export.hpp"
#include "traces/export_html.hpp"
#include "traces/files.hpp"
#include "traces/model_export.hpp"
#include "traces/model_trace.hpp"
#include "traces/replay.hpp"

namespace tools {

namespace {

template <typename Args>
void writeHtml(const Args& a, const traces::AnyTrace& any) {
    const std::string name = std::filesystem::path(a.file).filename().string();
    const bool sim = std::holds_alternative<traces::Trace>(any);
    const bool scenario = !sim && std::get<mc::ModelTrace>(any).repro.starts_with("raftsim scenario");
    const std::string text = traces::exportHtml(any, fmt::format("{} ({} trace)", name, sim ? "simulator" : scenario ? "scenario" : "model"));
    traces::writeTextFile(a.out, text);
    const std::size_t events = sim ? std::get<traces::Trace>(any).events.size() : std::get<mc::ModelTrace>(any).steps.size();
    fmt::print("{}: {} events exported as html to {}\n", a.file, events, a.out);
}

// A trace written before witnesses were recorded gets its own by re-execution, when it
// replays identically, so that its export marks the witness too (html re-executes anyway).
void withWitness(traces::Trace& trace) {
    if (trace.witness || !trace.verdict || trace.verdict->property != sim::name(sim::Property::Linearizability)) return;
    const traces::Comparison c = traces::replay(trace);
    if (c.identical) trace.witness = c.witness;
}

}  // namespace

void addExport(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("export", "export a trace for Perfetto (ui.perfetto.dev) or ShiViz, or as a page that plays it (html)");
    struct Args {
        std::string file, format, out;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("FILE", a->file, "the trace (JSON)")->required();
    cmd->add_option("--format", a->format, "perfetto (Chrome trace-event JSON), shiviz (vector-clock log) or html (a self-contained page)")
        ->required()
        ->check(CLI::IsMember({"perfetto", "shiviz", "html"}));
    cmd->add_option("-o,--out", a->out, "the output file")->required();
    cmd->callback([a, &code] {
        const traces::AnyTrace any = traces::readAnyTrace(a->file);
        if (a->format == "html") {
            writeHtml(*a, any);
            code = kHeld;
            return;
        }
        traces::Trace trace = std::holds_alternative<traces::Trace>(any)
                                  ? std::get<traces::Trace>(any)
                                  : traces::asSimulatorTrace(std::get<mc::ModelTrace>(any));
        withWitness(trace);
        const std::string text = a->format == "perfetto" ? traces::exportPerfetto(trace) : traces::exportShiviz(trace);
        traces::writeTextFile(a->out, text);
        fmt::print("{}: {} events exported as {} to {}\n", a->file, trace.events.size(), a->format, a->out);
        code = kHeld;
    });
}

}  // namespace tools
