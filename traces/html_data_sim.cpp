// The page's data for a simulator trace: re-executed, each node's state read off the
// replaying world after every event, explained (sim_explain.hpp), with every delivered
// message drawn from the event that sent it to the one that received it.
#include <fmt/format.h>

#include <set>

#include "traces/describe_event.hpp"
#include "traces/export_html.hpp"
#include "traces/html_frames.hpp"
#include "traces/lin_witness.hpp"
#include "traces/sim_explain.hpp"

namespace traces {

namespace {

class SimFrames {
public:
    explicit SimFrames(int nodes) : views_(static_cast<std::size_t>(nodes)), fires_(static_cast<std::size_t>(nodes)) {
        HtmlJson first = html::frame(0, "initial state", -1);
        HtmlJson d = HtmlJson::array();
        for (int i = 0; i < nodes; ++i) d.push_back(html::row(i, {}, views_[i]));
        first["d"] = d;
        frames_.push_back(first);
    }

    void onEvent(const sim::EventRecord& e, const sim::World& world) {
        HtmlJson f = html::frame(e.timeUs, stepName(e), e.node == raft::kNoNode ? -1 : static_cast<int>(e.node));
        HtmlJson commits = HtmlJson::array();
        for (const std::string& line : explainer_.next(e, world)) {
            if (line.starts_with("why: ")) {
                f["w"] = line.substr(5);
            } else {
                commits.push_back(line);
            }
        }
        if (!commits.empty()) f["c"] = commits;
        HtmlJson d = HtmlJson::array();
        for (int i = 0; i < world.nodeCount(); ++i) changed(i, world.node(static_cast<raft::NodeId>(i)), i == e.node, d);
        if (!d.empty()) f["d"] = d;
        frames_.push_back(f);
        if (e.kind == sim::EventKind::Deliver) {
            const std::string text = fmt::format("{} {}->{} term={}", raft::name(e.msgKind), e.from, e.node, e.msgTerm);
            msgs_.push_back(HtmlJson::array({e.from, e.node, html::kindCode(e.msgKind), text, e.sentEvent, e.index, e.stepped ? 0 : 1}));
        }
        if (e.kind == sim::EventKind::Timer && e.stepped && e.ref == static_cast<std::uint32_t>(raft::Timer::Election)) {
            fires_[e.node].push_back(e.timeUs);
        }
    }

    // The clients' history, each operation [client, text, invokeEvent, completeEvent (-1:
    // pending), in the witness (0/1)], and the witness's verdict line when there is one.
    static void history(const std::vector<sim::Operation>& ops, const std::optional<sim::lin::KeyWitness>& witness,
                        HtmlJson& data) {
        std::set<std::pair<int, std::uint32_t>> marked;
        if (witness) {
            for (const sim::Operation& op : witness->witness.ops) marked.emplace(op.client, op.seq);
            data["lin"] = {{"verdict", "violated"}, {"key", witness->key}, {"title", witnessTitle(*witness)}};
        }
        HtmlJson list = HtmlJson::array();
        for (const sim::Operation& op : ops) {
            const bool pending = op.outcome == sim::Outcome::Pending;
            list.push_back(HtmlJson::array({op.client, sim::lin::describe(op), op.invokeEvent,
                                            pending ? -1 : static_cast<std::int64_t>(op.completeEvent),
                                            marked.contains({op.client, op.seq}) ? 1 : 0}));
        }
        data["ops"] = std::move(list);
    }

    HtmlJson finish(const Trace& t) {
        HtmlJson data = HtmlJson::object();
        data["engine"] = "simulator";
        data["repro"] = t.repro;
        data["nodes"] = views_.size();
        data["span"] = t.options.electionTimeoutMaxUs;
        if (t.verdict) {
            data["verdict"] = {{"property", t.verdict->property}, {"at", t.verdict->event}, {"details", t.verdict->details}};
        } else {
            data["verdict"] = nullptr;
        }
        data["frames"] = std::move(frames_);
        data["msgs"] = std::move(msgs_);
        data["fires"] = fires_;
        return data;
    }

private:
    // The event's node in full; the others by their cheap fields first (a crash or a
    // restart is the victim's event, so only a bug's stray change could hide here).
    void changed(int i, const raft::Node* n, bool stepped, HtmlJson& d) {
        html::NodeView& was = views_[i];
        if (!stepped && n != nullptr && was.role != 3 && static_cast<int>(n->role()) == was.role && n->currentTerm() == was.term &&
            n->commitIndex() == was.commit && n->log().lastIndex() == was.log.size() &&
            (was.log.empty() || n->log().lastTerm() == was.log.back()) &&
            (n->votedFor() == raft::kNoNode ? -1 : static_cast<int>(n->votedFor())) == was.vote) {
            return;
        }
        html::NodeView now = html::viewOf(n, -1);
        if (now == was) return;
        d.push_back(html::row(i, was, now));
        was = std::move(now);
    }

    std::vector<html::NodeView> views_;
    std::vector<std::vector<std::int64_t>> fires_;
    HtmlJson frames_ = HtmlJson::array();
    HtmlJson msgs_ = HtmlJson::array();
    SimExplainer explainer_;
};

}  // namespace

HtmlJson htmlData(const Trace& trace) {
    SimFrames frames(sim::hostCount(trace.options));
    std::vector<sim::Operation> ops;
    const Trace again = rerun(trace, [&frames](const sim::EventRecord& e, const sim::World& w) { frames.onEvent(e, w); }, &ops);
    HtmlJson data = frames.finish(trace);
    // The re-execution's own check: traces written before witnesses were recorded get one.
    SimFrames::history(ops, again.witness, data);
    return data;
}

}  // namespace traces
