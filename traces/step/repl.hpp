// The read-eval-print loop of `raftsim step`: one command a line from a terminal or a
// pipe, the session shown after each step. A bad command prints one line `error: ...`
// and the loop waits for the next.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "traces/step/stepper.hpp"

namespace step {

struct ReplOptions {
    bool colour = false;
    bool echo = false;    // print each command read (input from a pipe)
    bool prompt = false;  // print a prompt before reading (input from a terminal)
    std::string repro;    // the command line, for a saved trace
};

constexpr std::size_t kMaxLines = 1'000'000;  // commands one session reads at most

// Returns 1 when the session ends at a violation, else 0.
int repl(Stepper& stepper, std::istream& in, std::ostream& out, const ReplOptions& options);

// Writes the session to `path`: a scenario for `.scn`, a model trace for `.json`.
// Throws std::invalid_argument for another extension, std::runtime_error when it
// cannot write.
void save(const Stepper& stepper, const std::string& path, const std::string& repro);

}  // namespace step
