// A model-checker trace in the simulator's event vocabulary, so that the exports
// (export.hpp) draw it too: step numbers are the virtual time, and each delivered
// message points back at the step that sent it.
#pragma once

#include "sim/mc/cex_json.hpp"
#include "traces/trace.hpp"

namespace traces {

// Deliver stays deliver (a drop is a delivery that did not step the node), timeout is
// a timer, client a request arriving, crash a nemesis strike, restart a restart; a
// duplicate concerns no node. Re-executes the path to find senders; the steps must
// replay (mc::rerun) or the result ends where the replay stopped.
Trace asSimulatorTrace(const mc::ModelTrace& path);

}  // namespace traces
