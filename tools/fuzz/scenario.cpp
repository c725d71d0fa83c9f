// The scenario reader and runner (traces/scenario/): any text is parsed and run, or refused
// with a ScenarioError (which `raftsim scenario run` prints as one line, exit 2); nothing
// else. Parsing allows missing blocks (as --rewrite, --print and --from-scenario do), so
// the commands run; the outputs are then written back in (rewrite) and the path taken
// becomes a model trace that must read back, as `scenario run --rewrite --trace` does without files.
// Bounded: at most 100 commands, so one input cannot take long (a deliver-all is itself
// bounded by its max=, at most 10000 steps).
#include <cstddef>
#include <cstdint>
#include <string>

#include "traces/model_trace.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

namespace {
constexpr std::size_t kCommandsMax = 100;  // the longest of scenarios/ has 54
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const scenario::Script strict = scenario::parseScript(text, /*allowMissing=*/false);
        (void)strict;
    } catch (const scenario::ScenarioError&) {
    }
    try {
        const scenario::Script script = scenario::parseScript(text, /*allowMissing=*/true);
        if (script.directives.size() > kCommandsMax) return -1;
        const scenario::RunResult r = scenario::runScript(script, /*rewriting=*/true);
        (void)scenario::rewrite(script, r.outputs);
        // What `--trace` would write must read back (replay, shrink and export read it);
        // a TraceError here escapes and is a finding.
        (void)traces::parseModelTrace(traces::dump(r.trace), "fuzz");
    } catch (const scenario::ScenarioError&) {
    }
    return 0;
}
