// `raftsim replay FILE`: re-executes a trace and compares it event by event.
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "traces/json_read.hpp"
#include "traces/replay.hpp"

namespace tools {

void addReplay(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("replay", "re-execute a trace and compare it event by event");
    auto file = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "the trace (JSON)")->required();
    cmd->callback([file, &code] {
        const traces::Trace recorded = traces::readTrace(*file);
        const traces::Trace replayed = traces::rerun(recorded);
        const traces::Comparison c = traces::compare(recorded, replayed);
        fmt::print("{}: {}\n", *file, c.report);
        code = c.identical ? kHeld : kViolated;
    });
}

}  // namespace tools
