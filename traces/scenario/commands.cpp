#include "traces/scenario/commands.hpp"

#include <fmt/format.h>

#include <array>
#include <functional>
#include <stdexcept>
#include <string_view>

#include "traces/scenario/pick.hpp"
#include "traces/scenario/words.hpp"
#include "traces/stepper.hpp"

namespace scenario {

namespace {

using Words = std::vector<std::string>;

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

void wantArgs(const Words& w, std::size_t min, std::size_t max, std::string_view usage) {
    if (w.size() - 1 < min || w.size() - 1 > max) bad(fmt::format("usage: {}", usage));
}

Session& session(Context& ctx) {
    if (!ctx.session) bad("no cluster yet: the first command must be 'cluster N'");
    return *ctx.session;
}

raft::NodeId nodeArg(const Session& s, const std::string& text) {
    const std::optional<int> id = number(text);
    if (!id || *id >= s.nodes()) bad(fmt::format("bad node '{}' (nodes are 0..{})", text, s.nodes() - 1));
    return static_cast<raft::NodeId>(*id);
}

// ---- the cluster ----

void clusterOption(ClusterSpec& spec, const std::string& word) {
    if (word == "check-quorum") {
        spec.checkQuorum = true;
    } else if (word == "empty-heartbeats") {
        spec.emptyHeartbeats = true;
    } else if (const auto kv = keyValue(word); kv && kv->first == "bug") {
        const auto bug = raft::bugByName(kv->second);
        if (!bug) bad(fmt::format("unknown bug '{}' (see `raftsim bugs`)", kv->second));
        spec.bugs.enable(*bug);
    } else if (kv && kv->first == "batch") {
        const std::optional<int> b = number(kv->second);
        if (!b || *b < 1 || *b > mc::kMaxLog) bad(fmt::format("batch must be 1..{}", mc::kMaxLog));
        spec.batch = *b;
    } else {
        bad(fmt::format("unknown cluster option '{}' (check-quorum, empty-heartbeats, batch=B, bug=NAME)", word));
    }
}

Output cluster(Context& ctx, const Words& w) {
    if (ctx.session) bad("the cluster is already set up (one 'cluster' command, the first)");
    if (w.size() < 2) bad("usage: cluster N [check-quorum] [empty-heartbeats] [batch=B] [bug=NAME]...");
    const std::optional<int> n = number(w[1]);
    if (!n || *n < 1 || *n > mc::kMaxNodes) bad(fmt::format("the cluster has 1..{} nodes, not '{}'", mc::kMaxNodes, w[1]));
    ClusterSpec spec{.nodes = *n};
    for (std::size_t i = 2; i < w.size(); ++i) clusterOption(spec, w[i]);
    ctx.session.emplace(boundsFor(spec));
    return showState(*ctx.session, "nodes");
}

// ---- steps ----

Output timer(Context& ctx, const Words& w, raft::Timer t) {
    wantArgs(w, 1, 1, fmt::format("{} NODE", w[0]));
    Session& s = session(ctx);
    return s.apply(mc::Event{.kind = mc::EventKind::Timeout, .node = nodeArg(s, w[1]), .timer = t});
}

Output nodeEvent(Context& ctx, const Words& w, mc::EventKind kind) {
    wantArgs(w, 1, 1, fmt::format("{} NODE", w[0]));
    Session& s = session(ctx);
    return s.apply(mc::Event{.kind = kind, .node = nodeArg(s, w[1])});
}

Output propose(Context& ctx, const Words& w) {
    wantArgs(w, 1, 2, "propose NODE [VALUE]");
    Session& s = session(ctx);
    const raft::NodeId node = nodeArg(s, w[1]);
    int value = ctx.nextValue;
    if (w.size() == 3) {
        const std::optional<int> v = number(w[2]);
        if (!v || *v < 1 || *v > kValues) bad(fmt::format("a value is 1..{}, not '{}'", kValues, w[2]));
        value = *v;
    }
    if (value > kValues) bad(fmt::format("values 1..{} are used up: name one (propose NODE VALUE)", kValues));
    Output out = s.apply(mc::Event{.kind = mc::EventKind::Client, .node = node, .value = static_cast<std::uint32_t>(value)});
    ctx.nextValue = value + 1;
    return out;
}

Output message(Context& ctx, const Words& w, mc::EventKind kind) {
    Session& s = session(ctx);
    const std::uint32_t id = pickMessage(s.model(), s.state(), std::span<const std::string>(w).subspan(1));
    const raft::Message& m = s.model().message(id);
    if (kind == mc::EventKind::Deliver && s.blocked(m)) {
        bad(fmt::format("{}->{} is cut: the message cannot be delivered (drop it, or heal first)", m.from, m.to));
    }
    return s.apply(mc::Event{.kind = kind, .node = m.to, .msg = id});
}

// One message of a deliver-all: delivered, or lost to a cut or a crashed receiver.
Output deliverOne(Session& s, std::uint32_t id) {
    const raft::Message& m = s.model().message(id);
    const bool down = (s.state().env[m.to] & mc::kUp) == 0;
    if (!s.blocked(m) && !down) return s.apply(mc::Event{.kind = mc::EventKind::Deliver, .node = m.to, .msg = id});
    Output out = s.apply(mc::Event{.kind = mc::EventKind::Drop, .node = m.to, .msg = id});
    out.front() += down ? " (receiver down)" : " (link cut)";
    return out;
}

bool inFlight(const mc::State& st, std::uint32_t id) {
    for (const mc::BagItem& item : st.bag) {
        if (item.msg == id) return true;
    }
    return false;
}

Output deliverAll(Context& ctx, const Words& w) {
    wantArgs(w, 0, 1, "deliver-all [max=STEPS]");
    Session& s = session(ctx);
    int max = kDeliverAllDefault;
    if (w.size() == 2) {
        const auto kv = keyValue(w[1]);
        const std::optional<int> v = kv && kv->first == "max" ? number(kv->second) : std::nullopt;
        if (!v || *v < 1 || *v > kDeliverAllMax) bad(fmt::format("usage: deliver-all [max=STEPS], STEPS 1..{}", kDeliverAllMax));
        max = *v;
    }
    Output out;
    int steps = 0;
    // In rounds: what is in flight at the start of a round goes, in the bag's order;
    // what that sends waits for the next round.
    while (!s.state().bag.empty() && steps < max && !s.violation()) {
        std::vector<std::uint32_t> round;
        for (const mc::BagItem& item : s.state().bag) round.push_back(item.msg);
        for (const std::uint32_t id : round) {
            while (steps < max && !s.violation() && inFlight(s.state(), id)) {
                const Output lines = deliverOne(s, id);
                out.insert(out.end(), lines.begin(), lines.end());
                ++steps;
            }
        }
    }
    std::uint32_t left = 0;
    for (const mc::BagItem& item : s.state().bag) left += item.count;
    if (s.violation()) {
        out.push_back(fmt::format("stopped at a violation after {} steps", steps));
    } else if (left == 0) {
        out.push_back(fmt::format("quiet after {} steps", steps));
    } else {
        out.push_back(fmt::format("stopped after {} steps (max={}): {} messages still in flight", steps, max, left));
    }
    return out;
}

// Every message in flight from and to the nodes named (all when none is named) is lost.
Output dropAll(Context& ctx, const Words& w) {
    Session& s = session(ctx);
    int from = -1;
    int to = -1;
    for (std::size_t i = 1; i < w.size(); ++i) {
        const auto kv = keyValue(w[i]);
        if (!kv || (kv->first != "from" && kv->first != "to")) bad("usage: drop-all [from=NODE] [to=NODE]");
        (kv->first == "from" ? from : to) = nodeArg(s, kv->second);
    }
    std::vector<std::uint32_t> lost;
    for (const mc::BagItem& item : s.state().bag) {
        const raft::Message& m = s.model().message(item.msg);
        const bool match = (from < 0 || m.from == static_cast<raft::NodeId>(from)) && (to < 0 || m.to == static_cast<raft::NodeId>(to));
        for (std::uint32_t c = 0; match && c < item.count; ++c) lost.push_back(item.msg);
    }
    Output out;
    for (const std::uint32_t id : lost) {
        if (s.violation()) break;
        const Output lines = s.apply(mc::Event{.kind = mc::EventKind::Drop, .node = s.model().message(id).to, .msg = id});
        out.insert(out.end(), lines.begin(), lines.end());
    }
    if (lost.empty()) out.emplace_back("nothing to drop");
    return out;
}

// ---- the network ----

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

Output show(Context& ctx, const Words& w) {
    wantArgs(w, 0, 1, "show [nodes|messages]");
    const std::string what = w.size() == 2 ? w[1] : "all";
    if (what != "all" && what != "nodes" && what != "messages") bad("usage: show [nodes|messages]");
    return showState(session(ctx), what);
}

using Handler = std::function<Output(Context&, const Words&)>;

const std::vector<std::pair<std::string_view, Handler>>& handlers() {
    using K = mc::EventKind;
    static const std::vector<std::pair<std::string_view, Handler>> table{
        {"cluster", cluster},
        {"timeout", [](Context& c, const Words& w) { return timer(c, w, raft::Timer::Election); }},
        {"heartbeat", [](Context& c, const Words& w) { return timer(c, w, raft::Timer::Heartbeat); }},
        {"deliver", [](Context& c, const Words& w) { return message(c, w, K::Deliver); }},
        {"drop", [](Context& c, const Words& w) { return message(c, w, K::Drop); }},
        {"duplicate", [](Context& c, const Words& w) { return message(c, w, K::Duplicate); }},
        {"deliver-all", deliverAll},
        {"drop-all", dropAll},
        {"propose", propose},
        {"crash", [](Context& c, const Words& w) { return nodeEvent(c, w, K::Crash); }},
        {"restart", [](Context& c, const Words& w) { return nodeEvent(c, w, K::Restart); }},
        {"partition", partition},
        {"cut", cut},
        {"heal", heal},
        {"show", show},
    };
    return table;
}

}  // namespace

Output showState(const Session& s, const std::string& what) {
    Output out;
    const mc::StepRecord record = mc::snapshot(s.model(), s.state());
    if (what != "messages") {
        for (std::size_t i = 0; i < record.nodes.size(); ++i) {
            out.push_back(traces::nodeLine(static_cast<raft::NodeId>(i), record.nodes[i]));
        }
    }
    if (what == "nodes") return out;
    out.emplace_back(s.state().bag.empty() ? "in flight: none" : "in flight:");
    for (const mc::BagItem& item : s.state().bag) {
        out.push_back(fmt::format("  {}{}", mc::describe(s.model().message(item.msg)),
                                  item.count > 1 ? fmt::format(" (x{})", item.count) : ""));
    }
    std::string cuts;
    for (const auto& [a, b] : s.cuts()) cuts += fmt::format(" {}->{}", a, b);
    if (!cuts.empty()) out.push_back("cut:" + cuts);
    return out;
}

Output execute(Context& ctx, const std::vector<std::string>& words) {
    for (const auto& [name, handler] : handlers()) {
        if (words.front() == name) return handler(ctx, words);
    }
    bad(fmt::format("unknown command '{}' (cluster, timeout, heartbeat, deliver, drop, duplicate, deliver-all, "
                    "drop-all, propose, crash, restart, partition, cut, heal, show, expect-violation)", words.front()));
}

}  // namespace scenario
