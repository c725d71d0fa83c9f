// The scenario commands that take steps: timers, proposals, messages one by one or all
// together, crashes and restarts.
#include <fmt/format.h>

#include "traces/scenario/command_util.hpp"
#include "traces/scenario/pick.hpp"
#include "traces/scenario/words.hpp"

namespace scenario::detail {

namespace {

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

}  // namespace


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

// A TransferLeadership at a leader, to TARGET (thesis §3.10).
Output transfer(Context& ctx, const Words& w) {
    wantArgs(w, 2, 2, "transfer NODE TARGET");
    Session& s = session(ctx);
    const raft::NodeId node = nodeArg(s, w[1]);
    const raft::NodeId target = nodeArg(s, w[2]);
    return s.apply(mc::Event{.kind = mc::EventKind::Transfer, .node = node, .value = target});
}

// A client's Read at NODE (thesis §6.4): the next read of the path.
Output read(Context& ctx, const Words& w) {
    wantArgs(w, 1, 1, "read NODE");
    Session& s = session(ctx);
    return s.apply(mc::Event{.kind = mc::EventKind::Read, .node = nodeArg(s, w[1]), .value = s.state().reads + 1u});
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

}  // namespace scenario::detail
