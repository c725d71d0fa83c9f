// The live page of `raftsim serve`: a stepper session behind a few requests. The page is
// the export's (traces/html/), with the session's path as its trace and, in `live`, what
// can happen next; the page posts a command, and reloads. No networking here: the HTTP
// server (tools/raftsim/serve_http.cpp) only routes requests to these calls.
#pragma once

#include <memory>
#include <string>

#include "traces/step/stepper.hpp"

namespace step {

struct LiveReply {
    int status = 200;  // 400: a command that cannot run (the body says why, one line)
    std::string body;  // JSON
};

class Live {
public:
    explicit Live(std::unique_ptr<Stepper> stepper) : stepper_(std::move(stepper)) {}

    std::string page() const;                     // text/html
    LiveReply act(const std::string& command);    // one scenario command or choice
    LiveReply back();                             // undo the last command
    std::string traceJson() const;                // the path as a model trace
    std::string scenarioText() const;             // the session as a scenario

private:
    std::unique_ptr<Stepper> stepper_;
};

}  // namespace step
