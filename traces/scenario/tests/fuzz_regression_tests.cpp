// Inputs tools/fuzz/fuzz_scenario once crashed on (traces/scenario/tests/regressions/):
// each is now parsed and run, or refused with a ScenarioError, as the harness requires,
// and the model trace it leaves reads back.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "traces/model_trace.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/script.hpp"

TEST_CASE("fuzz_regressions_eachInputIsRunOrRefusedWithAScenarioError") {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(RAFTSIM_SCENARIO_REGRESSIONS)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(!files.empty());
    for (const auto& file : files) {
        CAPTURE(file.string());
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        try {
            const scenario::Script script = scenario::parseScript(text, true);
            const scenario::RunResult r = scenario::runScript(script, true);
            (void)scenario::rewrite(script, r.outputs);
            CHECK_NOTHROW((void)traces::parseModelTrace(traces::dump(r.trace), "regression"));
        } catch (const scenario::ScenarioError& e) {
            CHECK(e.message().find('\n') == std::string::npos);
        }
    }
}
