#include "traces/scenario/commands.hpp"

#include <fmt/format.h>

#include <array>
#include <functional>
#include <stdexcept>
#include <string_view>

#include "traces/scenario/command_util.hpp"
#include "traces/scenario/words.hpp"
#include "traces/stepper.hpp"

namespace scenario {

namespace detail {

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

}  // namespace detail

namespace {

using namespace detail;

// ---- the cluster ----

void clusterOption(ClusterSpec& spec, const std::string& word) {
    if (word == "check-quorum") {
        spec.checkQuorum = true;
    } else if (word == "empty-heartbeats") {
        spec.emptyHeartbeats = true;
    } else if (word == "async-writes") {
        spec.asyncWrites = true;
    } else if (word == "pre-vote") {
        spec.preVote = true;
    } else if (word == "transfers") {
        spec.transfers = true;
    } else if (word == "reads") {
        spec.reads = true;
    } else if (word == "follower-reads") {
        spec.followerReads = true;
    } else if (word == "membership") {
        spec.membership = true;
    } else if (word == "snapshots") {
        spec.snapshots = true;
    } else if (const auto kv = keyValue(word); kv && kv->first == "bug") {
        const auto bug = raft::bugByName(kv->second);
        if (!bug) bad(fmt::format("unknown bug '{}' (see `raftsim bugs`)", kv->second));
        spec.bugs.enable(*bug);
    } else if (kv && kv->first == "spares") {
        const std::optional<int> k = number(kv->second);
        if (!k || *k < 0 || *k >= mc::kMaxNodes) bad(fmt::format("spares must be 0..{}", mc::kMaxNodes - 1));
        spec.spares = *k;
        spec.membership = true;
    } else if (kv && kv->first == "batch") {
        const std::optional<int> b = number(kv->second);
        if (!b || *b < 1 || *b > mc::kMaxLog) bad(fmt::format("batch must be 1..{}", mc::kMaxLog));
        spec.batch = *b;
    } else {
        bad(fmt::format("unknown cluster option '{}' (check-quorum, empty-heartbeats, async-writes, pre-vote, transfers, reads, follower-reads, membership, spares=K, snapshots, batch=B, bug=NAME)", word));
    }
}

Output cluster(Context& ctx, const Words& w) {
    if (ctx.session) bad("the cluster is already set up (one 'cluster' command, the first)");
    if (w.size() < 2) bad("usage: cluster N [check-quorum] [empty-heartbeats] [async-writes] [pre-vote] [transfers] [reads] [follower-reads] [membership] [spares=K] [snapshots] [batch=B] [bug=NAME]...");
    const std::optional<int> n = number(w[1]);
    if (!n || *n < 1 || *n > mc::kMaxNodes) bad(fmt::format("the cluster has 1..{} nodes, not '{}'", mc::kMaxNodes, w[1]));
    ClusterSpec spec{.nodes = *n};
    for (std::size_t i = 2; i < w.size(); ++i) clusterOption(spec, w[i]);
    const mc::Bounds bounds = boundsFor(spec);
    if (const std::string wrong = bounds.validate(); !wrong.empty()) bad(wrong);
    ctx.session.emplace(bounds);
    return showState(*ctx.session, "nodes");
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
        {"transfer", transfer},
        {"read", read},
        {"change", change},
        {"snapshot", snapshot},
        {"crash", [](Context& c, const Words& w) { return nodeEvent(c, w, K::Crash); }},
        {"restart", [](Context& c, const Words& w) { return nodeEvent(c, w, K::Restart); }},
        {"disk-done", [](Context& c, const Words& w) { return nodeEvent(c, w, K::DiskDone); }},
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
                    "drop-all, propose, transfer, read, change, snapshot, crash, restart, partition, cut, heal, show, expect-violation)", words.front()));
}

}  // namespace scenario
