#include "tools/raftsim/step_start.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "traces/model_trace.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/run_file.hpp"
#include "traces/scenario/script.hpp"
#include "traces/scenario/words.hpp"
#include "traces/step/choices.hpp"

namespace tools {

namespace {


std::string clusterFromFlags(const StepArgs& a) {
    std::string c = fmt::format("cluster {}", a.nodes);
    if (a.checkQuorum) c += " check-quorum";
    if (a.emptyHeartbeats) c += " empty-heartbeats";
    if (a.batch > 0) c += fmt::format(" batch={}", a.batch);
    for (const std::string& b : a.bugs) c += " bug=" + b;
    return c;
}



// The scenario's steps, taken one by one (expectations are not compared here).
std::unique_ptr<step::Stepper> fromScenario(const std::string& path) {
    try {
        const scenario::Script script = scenario::parseScript(scenario::readAll(path), true);
        if (script.directives.empty()) throw scenario::ScenarioError(1, "no commands");
        const scenario::Directive& first = script.directives.front();
        std::unique_ptr<step::Stepper> s;
        try {
            s = std::make_unique<step::Stepper>(first.text);
        } catch (const std::invalid_argument& e) {
            throw scenario::ScenarioError(first.line, e.what());
        }
        for (std::size_t k = 1; k < script.directives.size(); ++k) {
            const scenario::Directive& d = script.directives[k];
            if (d.words.front() == "expect-violation" || d.words.front() == "show") continue;
            try {
                s->run(d.words);
            } catch (const std::invalid_argument& e) {
                throw scenario::ScenarioError(d.line, e.what());
            }
        }
        return s;
    } catch (const scenario::ScenarioError& e) {
        const std::string what = scenario::printable(e.message());
        throw std::runtime_error(e.line() > 0 ? fmt::format("{}:{}: {}", path, e.line(), what)
                                              : fmt::format("{}: {}", path, what));
    }
}

// The trace's steps, each as the scenario command that takes it.
std::unique_ptr<step::Stepper> fromTrace(const std::string& path) {
    const traces::AnyTrace any = traces::readAnyTrace(path);
    if (!std::holds_alternative<mc::ModelTrace>(any)) {
        throw std::runtime_error(fmt::format("{}: a simulator trace; step starts from a model trace (check --out, "
                                             "scenario run --trace)", path));
    }
    const mc::ModelTrace& t = std::get<mc::ModelTrace>(any);
    auto s = std::make_unique<step::Stepper>(step::clusterCommand(t.bounds));
    for (std::size_t k = 0; k < t.steps.size(); ++k) {
        try {
            s->run(scenario::splitWords(step::commandFor(s->session(), t.steps[k])));
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(fmt::format("{}: step {}: {}", path, k + 1, e.what()));
        }
    }
    return s;
}

}  // namespace

std::unique_ptr<step::Stepper> startStepper(const StepArgs& a) {
    const bool clusterFlags = a.clusterFlags;
    if (!a.scenarioFile.empty() && !a.traceFile.empty()) throw std::runtime_error("--scenario and --trace exclude each other");
    if ((!a.scenarioFile.empty() || !a.traceFile.empty()) && clusterFlags) {
        throw std::runtime_error("cluster flags (--nodes, --bug, ...) come from the scenario or trace; leave them out");
    }
    if (!a.scenarioFile.empty()) return fromScenario(a.scenarioFile);
    if (!a.traceFile.empty()) return fromTrace(a.traceFile);
    try {
        return std::make_unique<step::Stepper>(clusterFromFlags(a));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
}

StepFlags addStepFlags(CLI::App* cmd, StepArgs& a) {
    StepFlags f;
    f.cluster.push_back(cmd->add_option("--nodes", a.nodes, "cluster size (1..5)")->check(CLI::Range(1, 5)));
    f.cluster.push_back(cmd->add_option("--bug", a.bugs, "switch a historical bug on (see `raftsim bugs`); repeatable"));
    f.cluster.push_back(cmd->add_flag("--check-quorum", a.checkQuorum, "a leader steps down without a quorum (thesis §6.2)"));
    f.cluster.push_back(cmd->add_flag("--empty-heartbeats", a.emptyHeartbeats, "heartbeats carry no entries"));
    f.cluster.push_back(cmd->add_option("--batch", a.batch, "entries one AppendEntries carries at most")->check(CLI::Range(1, 8)));
    cmd->add_option("--scenario", a.scenarioFile, "start where this scenario's steps lead");
    cmd->add_option("--trace", a.traceFile, "start where this model trace's steps lead");
    return f;
}

void StepFlags::noteClusterFlags(StepArgs& a) const {
    for (const CLI::Option* o : cluster) a.clusterFlags = a.clusterFlags || o->count() > 0;
}

std::string reproOf(const StepArgs& a, const std::string& subcommand) {
    if (!a.scenarioFile.empty()) return fmt::format("raftsim {} --scenario {}", subcommand, a.scenarioFile);
    if (!a.traceFile.empty()) return fmt::format("raftsim {} --trace {}", subcommand, a.traceFile);
    return "raftsim " + subcommand + clusterFromFlags(a).substr(std::string("cluster").size());
}

}  // namespace tools
