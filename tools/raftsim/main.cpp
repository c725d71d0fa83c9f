// raftsim: deterministic simulation testing and model checking for Raft.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "raftsim_version.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

bool showProgress() {
    const char* ci = std::getenv("CI");
    return isatty(STDERR_FILENO) != 0 && (ci == nullptr || std::string_view(ci).empty());
}

}  // namespace tools

int main(int argc, char** argv) {
    CLI::App app{"raftsim: deterministic simulation testing and model checking for Raft"};
    app.name("raftsim");
    app.require_subcommand(1);
    app.set_version_flag("--version", "raftsim " RAFTSIM_VERSION, "print the version and exit");
    int code = tools::kHeld;
    tools::addRun(app, code);
    tools::addSweep(app, code);
    tools::addMerge(app, code);
    tools::addBugs(app, code);
    tools::addProperties(app, code);
    tools::addBench(app, code);
    tools::addCheck(app, code);
    tools::addReplay(app, code);
    tools::addShrink(app, code);
    tools::addExport(app, code);
    tools::addScenario(app, code);
    tools::addStep(app, code);
    tools::addServe(app, code);
    if (argc <= 1) {  // no subcommand: say which there are
        fmt::print(stderr, "raftsim: a subcommand is required\n{}", app.help());
        return tools::kBadInput;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    }
    // A summary or verdict that never reached its reader is an error, not a result.
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        fmt::print(stderr, "raftsim: standard output: cannot write: {}\n", std::strerror(errno));
        return tools::kBadInput;
    }
    return code;
}
