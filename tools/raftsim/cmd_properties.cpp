// `raftsim properties`: the catalogue of properties the checkers hold runs to.
#include <fmt/format.h>

#include "sim/property.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

namespace {

std::string_view engines(sim::Engines e) {
    switch (e) {
        case sim::Engines::Both: return "simulator, model checker";
        case sim::Engines::Simulator: return "simulator";
        case sim::Engines::Model: return "model checker";
    }
    return "?";
}

}  // namespace

void addProperties(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand(
        "properties", "list the properties checked after every event, in the order reported");
    cmd->callback([&code] {
        for (const sim::PropertyInfo& info : sim::propertyCatalog()) {
            fmt::print("{:<22} {}\n{:<22} source: {}; checked by: {}\n", info.name,
                       info.statement, "", info.source, engines(info.engines));
        }
        code = kHeld;
    });
}

}  // namespace tools
