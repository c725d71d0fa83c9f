// A malformed scenario: what is wrong and on which line (1-based). `raftsim scenario`
// prints it as one line, `FILE:LINE: what`, and exits 2.
#pragma once

#include <stdexcept>
#include <string>

namespace scenario {

class ScenarioError : public std::runtime_error {
public:
    ScenarioError(int line, const std::string& what) : std::runtime_error(what), line_(line), message_(what) {}
    int line() const { return line_; }
    // The whole message, even where the input put a NUL byte in it (what() stops there).
    const std::string& message() const { return message_; }

private:
    int line_;
    std::string message_;
};

}  // namespace scenario
