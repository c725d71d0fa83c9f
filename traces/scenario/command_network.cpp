// The scenario commands that shape the network: partitions, one-way cuts, healing. The
// session holds the cut links; deliver-all drops what crosses them.
#include <fmt/format.h>

#include <array>

#include "traces/scenario/command_util.hpp"

namespace scenario::detail {


Output partition(Context& ctx, const Words& w) {
    Session& s = session(ctx);
    std::array<int, mc::kMaxNodes> group{};
    group.fill(-1);
    int g = 0;
    std::string text = "{";
    for (std::size_t i = 1; i < w.size(); ++i) {
        if (w[i] == "|") {
            ++g;
            text += "} {";
            continue;
        }
        const raft::NodeId n = nodeArg(s, w[i]);
        if (group[n] >= 0) bad(fmt::format("node {} is in two groups", n));
        group[n] = g;
        text += fmt::format("{}{}", text.back() == '{' ? "" : " ", n);
    }
    if (g == 0) bad("usage: partition NODES | NODES [| NODES]... (every node in one group)");
    for (int n = 0; n < s.nodes(); ++n) {
        if (group[n] < 0) bad(fmt::format("node {} is in no group (a partition lists every node)", n));
    }
    s.heal();
    for (int a = 0; a < s.nodes(); ++a) {
        for (int b = 0; b < s.nodes(); ++b) {
            if (group[a] != group[b]) s.cut(a, b);
        }
    }
    return {fmt::format("partitioned: {}}}", text)};
}

Output cut(Context& ctx, const Words& w) {
    if (w.size() < 2) bad("usage: cut FROM->TO [FROM->TO]...");
    Session& s = session(ctx);
    Output out;
    for (std::size_t i = 1; i < w.size(); ++i) {
        const std::size_t arrow = w[i].find("->");
        if (arrow == std::string::npos) bad(fmt::format("expected FROM->TO, got '{}'", w[i]));
        const raft::NodeId from = nodeArg(s, w[i].substr(0, arrow));
        const raft::NodeId to = nodeArg(s, w[i].substr(arrow + 2));
        if (from == to) bad(fmt::format("'{}' cuts a node from itself", w[i]));
        s.cut(from, to);
        out.push_back(fmt::format("cut {}->{}", from, to));
    }
    return out;
}

Output heal(Context& ctx, const Words& w) {
    wantArgs(w, 0, 0, "heal");
    session(ctx).heal();
    return {"healed: every link is up"};
}

}  // namespace scenario::detail
