// What the interactive stepper shows after each step: every node (role, term, vote,
// votes granted, log with the commit point, armed timers), the messages in flight, and
// the numbered list of what can happen next. ANSI colour only when asked for.
#pragma once

#include <string>
#include <vector>

#include "traces/scenario/session.hpp"
#include "traces/step/choices.hpp"

namespace step {

// "n0 leader    t1 vote=0 votes=0,1 log=[1,1|2] timers=heartbeat": `|` follows the
// last committed entry.
std::vector<std::string> nodesView(const scenario::Session& s, bool colour);
std::vector<std::string> flightView(const scenario::Session& s);
std::vector<std::string> choicesView(const std::vector<Choice>& list, bool colour);

// A line of a step's output, coloured by what it says (a violation in red).
std::string paint(const std::string& line, bool colour);

}  // namespace step
