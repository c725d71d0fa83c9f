// `raftsim scenario run FILE|DIR... [--rewrite] [--print] [--trace OUT]` and
// `raftsim scenario list [DIR...]`: named, readable scenarios (scenarios/README.md).
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "traces/scenario/run_file.hpp"

namespace tools {

namespace {

struct RunArgs {
    std::vector<std::string> paths;
    bool rewrite = false;
    bool print = false;
    std::string trace;
};

int runScenarios(const RunArgs& a) {
    const std::vector<std::string> files = scenario::scenarioFiles(a.paths);
    if (files.empty()) throw std::runtime_error("no scenario files (*.scn) given");
    if (!a.trace.empty() && files.size() != 1) throw std::runtime_error("--trace takes exactly one scenario file");
    int code = kHeld;
    int passed = 0;
    for (const std::string& file : files) {
        scenario::FileOptions options{.rewrite = a.rewrite, .print = a.print};
        if (!a.trace.empty()) options.tracePath = a.trace;
        const scenario::FileOutcome o = scenario::runFile(file, options);
        fmt::print("{}", o.out);
        std::fflush(stdout);
        if (!o.error.empty()) fmt::print(stderr, "{}\n", o.error);
        code = std::max(code, o.code);
        if (o.code == 0) ++passed;
    }
    if (files.size() > 1) fmt::print("scenarios: {} passed, {} failed\n", passed, files.size() - passed);
    return code;
}

}  // namespace

void addScenario(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("scenario", "run named, readable Raft scenarios (scenarios/)");
    cmd->require_subcommand(1);

    auto* run = cmd->add_subcommand("run", "run scenario files; exit 0 when every expectation holds");
    auto a = std::make_shared<RunArgs>();
    run->add_option("PATH", a->paths, "scenario files (*.scn) or directories of them")->required();
    run->add_flag("--rewrite", a->rewrite, "write the actual outputs into the files as their expectations");
    run->add_flag("--print", a->print, "print each file with the actual outputs under its commands");
    run->add_option("--trace", a->trace, "write the path the steps took as a model trace (one file only)");
    run->callback([a, &code] { code = runScenarios(*a); });

    auto* list = cmd->add_subcommand("list", "list scenarios: name and the first line of the leading comment");
    auto dirs = std::make_shared<std::vector<std::string>>();
    list->add_option("DIR", *dirs, "directories or files (default: scenarios)");
    list->callback([dirs, &code] {
        const std::vector<std::string> files = scenario::scenarioFiles(dirs->empty() ? std::vector<std::string>{"scenarios"} : *dirs);
        std::vector<scenario::Listed> listed;
        std::size_t width = 0;
        for (const std::string& file : files) {
            listed.push_back(scenario::describeFile(file));
            width = std::max(width, listed.back().name.size());
        }
        for (const scenario::Listed& l : listed) fmt::print("{:<{}}  {}\n", l.name, width, l.description);
        code = kHeld;
    });
}

}  // namespace tools
