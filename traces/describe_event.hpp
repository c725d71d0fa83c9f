// One-line descriptions of recorded events, for exports and reports.
#pragma once

#include <string>

#include "sim/world.hpp"

namespace traces {

// What the event did, e.g. "recv AppendEntries from n0 (term 3)" or "election timeout".
std::string stepName(const sim::EventRecord& event);
// The node's state after it, e.g. "leader t3 commit 5 last 7".
std::string stateText(const sim::EventRecord& event);

}  // namespace traces
