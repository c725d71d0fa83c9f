#include "traces/scenario/runner.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/property.hpp"
#include "traces/scenario/commands.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/words.hpp"

namespace scenario {

namespace {

// The properties the model (which scenarios step) checks, from the catalogue.
bool modelChecks(const sim::PropertyInfo& info) { return info.engines != sim::Engines::Simulator; }

bool knownProperty(const std::string& p) {
    const std::optional<sim::Property> property = sim::propertyByName(p);
    return property && modelChecks(sim::propertyInfo(*property));
}

std::string knownProperties() {
    std::string names;
    for (const sim::PropertyInfo& info : sim::propertyCatalog()) {
        if (modelChecks(info)) names += fmt::format("{}{}", names.empty() ? "" : ", ", info.name);
    }
    return names;
}

Output expectViolation(const Context& ctx, const std::vector<std::string>& w) {
    if (w.size() != 2) throw std::invalid_argument("usage: expect-violation PROPERTY");
    if (!knownProperty(w[1])) {
        throw std::invalid_argument(fmt::format("unknown property '{}' ({})", w[1], knownProperties()));
    }
    if (!ctx.session || !ctx.session->violation()) return {"no violation happened"};
    const mc::TraceVerdict& v = *ctx.session->violation();
    return {fmt::format("VIOLATED {} at step {}", v.property, v.step)};
}

class Runner {
public:
    Runner(const Script& script, bool rewriting) : script_(script), rewriting_(rewriting) {
        result_.outputs.resize(script.directives.size());
        for (std::size_t k = 0; k < script.directives.size(); ++k) result_.outputs[k] = script.directives[k].expected;
    }

    RunResult run() {
        for (std::size_t k = 0; k < script_.directives.size(); ++k) {
            if (!runOne(script_.directives[k], result_.outputs[k])) break;
            ++result_.commands;
        }
        if (pending_) unexpected();
        if (ctx_.session) {
            result_.trace = ctx_.session->trace();
            result_.trace.captions = std::move(captions_);
            result_.trace.captions.resize(std::min(result_.trace.captions.size(), result_.trace.steps.size()));
        }
        return std::move(result_);
    }

private:
    // False: the scenario cannot go on (a violation nobody expected).
    bool runOne(const Directive& d, Output& out) {
        const std::string& verb = d.words.front();
        if (pending_ && verb != "show" && verb != "expect-violation") {
            unexpected();
            return false;
        }
        const std::size_t stepsBefore = ctx_.session ? ctx_.session->trace().steps.size() : 0;
        try {
            // Commands see control bytes escaped, so what they echo in an error stays one line.
            std::vector<std::string> words;
            for (const std::string& w : d.words) words.push_back(printable(w));
            out = verb == "expect-violation" ? expectViolation(ctx_, words) : execute(ctx_, words);
        } catch (const std::invalid_argument& e) {
            throw ScenarioError(d.line, e.what());
        }
        caption(d, stepsBefore);
        if (out != d.expected && !rewriting_) {
            result_.failures.push_back({d.line, fmt::format("the output of '{}' differs from the expectation", d.text),
                                        d.expected, out});
        }
        if (verb == "expect-violation") {
            checkExpected(d);
        } else if (ctx_.session && ctx_.session->violation() && !seen_) {
            seen_ = true;
            pending_ = d.line;
        }
        return true;
    }

    // The comment lines right above a command caption the first step it took (or, for a
    // command that takes none, such as a partition, the next step taken).
    void caption(const Directive& d, std::size_t stepsBefore) {
        std::size_t top = d.first;
        while (top > 0 && script_.lines[top - 1].starts_with("#")) --top;
        for (std::size_t k = top; k < d.first && d.first != firstDirectiveLine(); ++k) {
            const std::string line = trim(std::string_view(script_.lines[k]).substr(1));
            if (!pendingCaption_.empty()) pendingCaption_.push_back(' ');
            pendingCaption_.append(line);
        }
        if (!ctx_.session || ctx_.session->trace().steps.size() == stepsBefore || pendingCaption_.empty()) return;
        captions_.resize(stepsBefore + 1);
        captions_[stepsBefore] = std::move(pendingCaption_);
        pendingCaption_.clear();
    }

    // The file's leading comment describes the scenario, not its first step.
    std::size_t firstDirectiveLine() const { return script_.directives.front().first; }

    void checkExpected(const Directive& d) {
        const auto& v = ctx_.session ? ctx_.session->violation() : std::nullopt;
        if (!v) {
            result_.failures.push_back({d.line, fmt::format("expected a violation of {}, but none happened", d.words[1])});
        } else if (v->property != d.words[1]) {
            result_.failures.push_back(
                {d.line, fmt::format("expected a violation of {}, but {} was violated: {}", d.words[1], v->property, v->details)});
        }
        pending_.reset();
    }

    void unexpected() {
        const mc::TraceVerdict& v = *ctx_.session->violation();
        result_.failures.push_back({*pending_, fmt::format("unexpected violation of {} (no expect-violation follows): {}",
                                                           v.property, v.details)});
        pending_.reset();
    }

    const Script& script_;
    bool rewriting_;
    Context ctx_;
    RunResult result_;
    bool seen_ = false;          // a violation happened
    std::optional<int> pending_;  // the line of a violation not yet expected
    std::vector<std::string> captions_;  // by step, see caption()
    std::string pendingCaption_;         // said before the next step taken
};

}  // namespace

RunResult runScript(const Script& script, bool rewriting) { return Runner(script, rewriting).run(); }

}  // namespace scenario
