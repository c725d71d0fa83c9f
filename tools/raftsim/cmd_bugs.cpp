// `raftsim bugs`: the historical bugs that --bug NAME re-introduces.
#include <fmt/format.h>

#include "core/bugs.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

void addBugs(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("bugs", "list the historical Raft bugs --bug can switch on");
    cmd->callback([&code] {
        for (const raft::BugInfo& info : raft::bugCatalog()) {
            fmt::print("{:<26} {}\n{:<26} source: {}\n", info.name, info.description, "",
                       info.source);
        }
        code = kHeld;
    });
}

}  // namespace tools
