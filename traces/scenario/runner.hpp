// Runs a parsed scenario: every command in order, its output compared with the block
// under it. A violation must be expected by an `expect-violation PROPERTY` command
// (`show` may come between); anything else after it fails the scenario.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/mc/cex_json.hpp"
#include "traces/scenario/script.hpp"

namespace scenario {

struct Failure {
    int line = 0;
    std::string what;                   // one line
    std::vector<std::string> expected;  // both empty unless an output differs
    std::vector<std::string> actual;
};

struct RunResult {
    std::vector<std::vector<std::string>> outputs;  // per directive: the actual output
    std::vector<Failure> failures;
    mc::ModelTrace trace;  // the path the steps took
    std::size_t commands = 0;
};

// Throws ScenarioError on a malformed command or one that cannot be taken. With
// `rewriting`, differing outputs are no failure (they become the new blocks).
RunResult runScript(const Script& script, bool rewriting);

}  // namespace scenario
