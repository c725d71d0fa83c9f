// `raftsim export FILE --format perfetto|shiviz -o OUT`: a trace for outside viewers.
// A model-checker trace is drawn with its step numbers as the time.
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "traces/export.hpp"
#include "traces/files.hpp"
#include "traces/model_export.hpp"
#include "traces/model_trace.hpp"

namespace tools {

void addExport(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("export", "export a trace for Perfetto (ui.perfetto.dev) or ShiViz");
    struct Args {
        std::string file, format, out;
    };
    auto a = std::make_shared<Args>();
    cmd->add_option("FILE", a->file, "the trace (JSON)")->required();
    cmd->add_option("--format", a->format, "perfetto (Chrome trace-event JSON) or shiviz (vector-clock log)")
        ->required()
        ->check(CLI::IsMember({"perfetto", "shiviz"}));
    cmd->add_option("-o,--out", a->out, "the output file")->required();
    cmd->callback([a, &code] {
        const traces::AnyTrace any = traces::readAnyTrace(a->file);
        const traces::Trace trace = std::holds_alternative<traces::Trace>(any)
                                        ? std::get<traces::Trace>(any)
                                        : traces::asSimulatorTrace(std::get<mc::ModelTrace>(any));
        const std::string text = a->format == "perfetto" ? traces::exportPerfetto(trace) : traces::exportShiviz(trace);
        traces::writeTextFile(a->out, text);
        fmt::print("{}: {} events exported as {} to {}\n", a->file, trace.events.size(), a->format, a->out);
        code = kHeld;
    });
}

}  // namespace tools
