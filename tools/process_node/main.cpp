// raftsim-process-node: raftsim's own core speaking the process protocol
// (sim/process/protocol.hpp) on stdin and stdout. It is the example for anyone driving
// a Raft written in another language through `--impl process:COMMAND`, and the
// protocol's own test: a sweep through it runs the same event stream as the core in
// process.
//
// Two switches break it on purpose, to show what the checker makes of a broken Raft:
//   --drop-hard-state  never writes its term and vote (what it promises is not on disk)
//   --exit-after N     exits after N inputs, mid-run, as a crashing implementation would
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "core/node.hpp"
#include "sim/core_node.hpp"
#include "sim/process/protocol.hpp"

namespace {

using sim::process::Json;

// One reply line: the step's actions and the node's view after it.
void reply(const raft::Node& node, const raft::Actions& actions) {
    Json list = Json::array();
    for (const raft::Action& a : actions) list.push_back(sim::process::encode(a));
    const Json line{{"actions", list}, {"view", sim::process::encode(sim::CoreNode::viewOf(node))}};
    std::cout << line.dump() << '\n' << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    bool dropHardState = false;
    long exitAfter = -1;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--drop-hard-state") == 0) {
            dropHardState = true;
        } else if (std::strcmp(argv[i], "--exit-after") == 0 && i + 1 < argc) {
            exitAfter = std::strtol(argv[++i], nullptr, 10);
        } else {
            std::fprintf(stderr, "usage: raftsim-process-node [--drop-hard-state] [--exit-after N]\n");
            return 2;
        }
    }
    std::optional<raft::Node> node;
    raft::Actions actions;
    for (std::string text; std::getline(std::cin, text) && exitAfter-- != 0;) {
        try {
            const Json line = Json::parse(text);
            if (!node) {  // the first line: who we are and what our disk holds
                node.emplace(sim::process::decodeConfig(line.at("config")),
                             sim::process::decodeDurable(line.at("durable")));
                continue;
            }
            actions.clear();
            node->step(sim::process::decodeInput(line.at("input")), actions);
            if (dropHardState) {
                std::erase_if(actions, [](const raft::Action& a) {
                    return std::holds_alternative<raft::PersistHardState>(a);
                });
            }
            reply(*node, actions);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "raftsim-process-node: %s\n", e.what());
            return 2;
        }
    }
    return 0;
}
