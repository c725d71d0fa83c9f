// The process protocol: a Raft in any language, driven by the simulator over its
// standard input and output, one JSON object per line (docs/ADAPTERS.md). This file is
// the one home of the encoding; both ends (sim/process/process_node.cpp and the
// example node in tools/process_node/) use it.
//
//   world -> node, first line:  {"config": CONFIG, "durable": DURABLE}
//   world -> node, then:        {"input": INPUT}
//   node -> world, per input:   {"actions": [ACTION...], "view": VIEW}
#pragma once

#include <nlohmann/json.hpp>

#include "core/io.hpp"
#include "sim/node_seam.hpp"

namespace sim::process {

using Json = nlohmann::json;

// Encoding throws nothing; decoding throws std::invalid_argument naming the field.
Json encode(const raft::Config& config);
Json encode(const raft::DurableState& durable);
Json encode(const raft::Input& input);
Json encode(const raft::Action& action);
Json encode(const NodeView& view);

raft::Config decodeConfig(const Json& j);
raft::DurableState decodeDurable(const Json& j);
raft::Input decodeInput(const Json& j);
raft::Action decodeAction(const Json& j);
NodeView decodeView(const Json& j);

}  // namespace sim::process
