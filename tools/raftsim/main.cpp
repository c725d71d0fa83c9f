// raftsim: deterministic simulation testing and model checking for Raft.
#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

#include "tools/raftsim/commands.hpp"

namespace tools {

bool showProgress() {
    const char* ci = std::getenv("CI");
    return isatty(STDERR_FILENO) != 0 && (ci == nullptr || std::string_view(ci).empty());
}

}  // namespace tools

int main(int argc, char** argv) {
    CLI::App app{"raftsim: deterministic simulation testing and model checking for Raft"};
    app.require_subcommand(1);
    int code = tools::kHeld;
    tools::addRun(app, code);
    tools::addSweep(app, code);
    tools::addBugs(app, code);
    tools::addBench(app, code);
    tools::addCheck(app, code);
    tools::addReplay(app, code);
    tools::addShrink(app, code);
    tools::addExport(app, code);
    tools::addScenario(app, code);
    tools::addStep(app, code);
    tools::addServe(app, code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    }
    return code;
}
