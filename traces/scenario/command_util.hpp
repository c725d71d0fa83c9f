// What the command files share: argument checks and the handlers the table in
// commands.cpp dispatches to. Internal to the scenario runner.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "traces/scenario/commands.hpp"

namespace scenario::detail {

using Words = std::vector<std::string>;

[[noreturn]] void bad(const std::string& what);
void wantArgs(const Words& w, std::size_t min, std::size_t max, std::string_view usage);
Session& session(Context& ctx);
raft::NodeId nodeArg(const Session& s, const std::string& text);

// Steps (command_steps.cpp).
Output timer(Context& ctx, const Words& w, raft::Timer t);
Output nodeEvent(Context& ctx, const Words& w, mc::EventKind kind);
Output propose(Context& ctx, const Words& w);
Output transfer(Context& ctx, const Words& w);
Output read(Context& ctx, const Words& w);
Output message(Context& ctx, const Words& w, mc::EventKind kind);
Output deliverAll(Context& ctx, const Words& w);
Output dropAll(Context& ctx, const Words& w);

// Membership changes and snapshots (command_membership.cpp).
Output change(Context& ctx, const Words& w);
Output snapshot(Context& ctx, const Words& w);

// The network (command_network.cpp).
Output partition(Context& ctx, const Words& w);
Output cut(Context& ctx, const Words& w);
Output heal(Context& ctx, const Words& w);

}  // namespace scenario::detail
