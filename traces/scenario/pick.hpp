// Picking a message in flight by what a scenario says of it: its kind, `from->to`, and
// any further words of its description as the scenario prints it (`term=2`,
// `prev=(1,1)`, `entries=[1,1]`, `granted`, ...). Exactly one distinct message must match.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/mc/model.hpp"

namespace scenario {

// Throws std::invalid_argument when the words are malformed, no message matches, or
// several distinct ones do (it lists them).
std::uint32_t pickMessage(const mc::Model& model, const mc::State& s, std::span<const std::string> words);

// The kind named `word`: the core's name (`AppendEntries`) or a short one
// (`vote`, `vote-resp`, `app`, `app-resp`).
std::optional<raft::MsgKind> kindNamed(const std::string& word);

}  // namespace scenario
