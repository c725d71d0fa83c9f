// `raftsim export FILE --format html`: one self-contained page (scripts and styles
// inline, no network) that plays a trace of either engine: servers on a ring coloured by
// role, election timers, messages in flight, every log, the event with why it went so,
// and the violation. The page's files are traces/html/ (embedded at build time).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/mc/cex_json.hpp"
#include "traces/model_trace.hpp"
#include "traces/trace.hpp"

namespace traces {

using HtmlJson = nlohmann::ordered_json;

// What the page draws, frame by frame (frame 0: the initial state; frame k: after event
// or step k): each frame's changes only, so a trace of 100,000 events stays small.
HtmlJson htmlData(const Trace& trace);
HtmlJson htmlData(const mc::ModelTrace& path);

// The page for `data`, titled `title`.
std::string htmlPage(const HtmlJson& data);

std::string exportHtml(const AnyTrace& trace, const std::string& title);

}  // namespace traces
