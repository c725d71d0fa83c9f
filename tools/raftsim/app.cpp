#include "tools/raftsim/app.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "raftsim_version.hpp"
#include "tools/raftsim/commands.hpp"

namespace tools {

bool showProgress() {
    const char* ci = std::getenv("CI");
    return isatty(STDERR_FILENO) != 0 && (ci == nullptr || std::string_view(ci).empty());
}

void buildApp(CLI::App& app, int& code) {
    app.name("raftsim");
    app.require_subcommand(1);
    app.set_version_flag("--version", "raftsim " RAFTSIM_VERSION, "print the version and exit");
    addRun(app, code);
    addSweep(app, code);
    addMerge(app, code);
    addBugs(app, code);
    addProperties(app, code);
    addBench(app, code);
    addCheck(app, code);
    addReplay(app, code);
    addShrink(app, code);
    addExport(app, code);
    addScenario(app, code);
    addStep(app, code);
    addServe(app, code);
}

}  // namespace tools
