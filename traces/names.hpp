// Names of the enums a trace stores, both ways. Parsing returns nullopt for unknown names.
#pragma once

#include <optional>
#include <string_view>

#include "core/node.hpp"
#include "sim/world.hpp"

namespace traces {

std::string_view name(sim::EventKind kind);
std::string_view faultName(sim::Nemesis kind);  // Count_ is "none"
std::string_view name(sim::KvOp op);

std::optional<sim::EventKind> parseEventKind(std::string_view text);
std::optional<sim::Nemesis> parseFault(std::string_view text);
std::optional<sim::KvOp> parseKvOp(std::string_view text);
std::optional<sim::Outcome> parseOutcome(std::string_view text);  // sim::name(Outcome)
std::optional<raft::MsgKind> parseMsgKind(std::string_view text);
std::optional<raft::Role> parseRole(std::string_view text);

}  // namespace traces
