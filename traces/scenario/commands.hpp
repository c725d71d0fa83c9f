// The commands of a scenario (scenarios/README.md lists them), each run against the
// session it builds on. A command that is malformed or cannot be taken where the
// scenario stands throws std::invalid_argument saying why, in one line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "traces/scenario/session.hpp"

namespace scenario {

using Output = std::vector<std::string>;

struct Context {
    std::optional<Session> session;  // set by `cluster`
    int nextValue = 1;               // the value `propose N` proposes when none is given
};

constexpr int kDeliverAllDefault = 200;  // steps one `deliver-all` takes at most
constexpr int kDeliverAllMax = 10'000;

Output execute(Context& ctx, const std::vector<std::string>& words);

// The nodes, the messages in flight and the links held down, as `show` prints them.
Output showState(const Session& session, const std::string& what);

}  // namespace scenario
