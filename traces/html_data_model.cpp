// The page's data for a model trace (the model checker's or a scenario's): the path
// followed on a model of its own, each step's changed nodes with their armed timers, the
// explanation, and each copy of a message from the step that sent it to the step that
// delivered or dropped it.
#include <algorithm>
#include <deque>
#include <map>

#include "sim/mc/cex_json_fields.hpp"
#include "traces/export_html.hpp"
#include "traces/html_frames.hpp"
#include "traces/model_explain.hpp"

namespace traces {

namespace {

class ModelFrames {
public:
    explicit ModelFrames(const mc::Bounds& b) : model_(b), state_(model_.initial()) {
        views_.resize(static_cast<std::size_t>(b.nodes));
        HtmlJson first = html::frame(0, "initial state", -1);
        HtmlJson d = HtmlJson::array();
        for (int i = 0; i < b.nodes; ++i) {
            views_[i] = view(state_, i);
            d.push_back(html::row(i, html::NodeView{.timers = 0}, views_[i]));
        }
        first["d"] = d;
        frames_.push_back(first);
        openNew(mc::State{}, 0);
    }

    // False: the step is not enabled where the path stands (the page ends before it).
    bool step(const mc::PathStep& p, std::size_t k) {
        mc::Event e = p.event;
        if (mc::trace_fields::carriesMessage(e.kind) && !find(p.message, e.msg)) return false;
        mc::State next;
        if (!model_.step(state_, e, next).inBounds) return false;
        HtmlJson f = html::frame(static_cast<std::int64_t>(k), model_.describe(e), e.node);
        const StepWhy why = explainStep(model_, state_, e, next);
        if (!why.why.empty()) f["w"] = why.why;
        if (!why.notes.empty()) f["c"] = why.notes;
        HtmlJson d = HtmlJson::array();
        for (int i = 0; i < model_.bounds().servers(); ++i) {
            html::NodeView now = view(next, i);
            if (now == views_[i]) continue;
            d.push_back(html::row(i, views_[i], now));
            views_[i] = std::move(now);
        }
        if (!d.empty()) f["d"] = d;
        frames_.push_back(f);
        closeGone(next, k, e.kind == mc::EventKind::Deliver ? 0 : 1);
        const mc::State before = state_;
        state_ = std::move(next);
        openNew(before, k);
        return true;
    }

    void caption(const std::string& text) { frames_.back()["cap"] = text; }

    HtmlJson finish(const mc::ModelTrace& t) {
        HtmlJson data = HtmlJson::object();
        data["engine"] = t.repro.starts_with("raftsim scenario") ? "scenario" : "model";
        data["repro"] = t.repro;
        data["nodes"] = model_.bounds().servers();
        data["span"] = 0;
        if (t.verdict) {
            data["verdict"] = {{"property", t.verdict->property}, {"at", t.verdict->step}, {"details", t.verdict->details}};
        } else {
            data["verdict"] = nullptr;
        }
        data["frames"] = std::move(frames_);
        data["msgs"] = std::move(msgs_);
        return data;
    }

private:
    html::NodeView view(const mc::State& s, int i) const {
        const bool up = (s.env[i] & mc::kUp) != 0;
        return html::viewOf(up ? &model_.node(s, i) : nullptr, s.env[i]);
    }

    bool find(const raft::Message& m, std::uint32_t& id) const {
        for (const mc::BagItem& item : state_.bag) {
            if (model_.message(item.msg) == m) {
                id = item.msg;
                return true;
            }
        }
        return false;
    }

    static std::uint32_t count(const mc::State& s, std::uint32_t id) {
        for (const mc::BagItem& item : s.bag) {
            if (item.msg == id) return item.count;
        }
        return 0;
    }

    // Copies that left the bag at step k: the oldest first.
    void closeGone(const mc::State& next, std::size_t k, int fate) {
        for (auto& [id, open] : open_) {
            const std::uint32_t left = count(next, id);
            while (open.size() > left) {
                HtmlJson& m = msgs_[open.front()];
                m[5] = k;
                m[6] = fate;
                open.pop_front();
            }
        }
    }

    // Copies that joined the bag at step k.
    void openNew(const mc::State& before, std::size_t k) {
        for (const mc::BagItem& item : state_.bag) {
            for (std::uint32_t c = count(before, item.msg); c < item.count; ++c) {
                const raft::Message& m = model_.message(item.msg);
                open_[item.msg].push_back(msgs_.size());
                msgs_.push_back(HtmlJson::array({m.from, m.to, html::kindCode(m.kind), mc::describe(m), k, -1, 2}));
            }
        }
    }

    mc::Model model_;
    mc::State state_;
    std::vector<html::NodeView> views_;
    std::map<std::uint32_t, std::deque<std::size_t>> open_;  // message id: its copies in flight, oldest first
    HtmlJson frames_ = HtmlJson::array();
    HtmlJson msgs_ = HtmlJson::array();
};

}  // namespace

HtmlJson htmlData(const mc::ModelTrace& path) {
    ModelFrames frames(path.bounds);
    for (std::size_t k = 0; k < path.steps.size(); ++k) {
        if (!frames.step(path.steps[k], k + 1)) break;
        if (k < path.captions.size() && !path.captions[k].empty()) frames.caption(path.captions[k]);
    }
    return frames.finish(path);
}

}  // namespace traces
