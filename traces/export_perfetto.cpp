#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "traces/describe_event.hpp"
#include "traces/export.hpp"
#include "traces/lin_witness.hpp"
#include "traces/names.hpp"

namespace traces {

namespace {

using Json = nlohmann::ordered_json;
constexpr int kPid = 1;
constexpr int kClusterTid = 100;  // faults that concern no single node, the phases
constexpr int kWitnessTid = 200;  // the linearizability witness's operations

int tidOf(raft::NodeId node) { return static_cast<int>(node) + 1; }

// Builds the trace-event list; role slices are emitted when they close.
class PerfettoWriter {
public:
    explicit PerfettoWriter(const Trace& trace) : trace_(trace), open_(static_cast<std::size_t>(sim::hostCount(trace.options))) {}

    Json build() {
        metadata();
        for (const sim::EventRecord& e : trace_.events) onEvent(e);
        const sim::Micros end = trace_.events.empty() ? 0 : trace_.events.back().timeUs + 1;
        for (raft::NodeId n = 0; n < sim::hostCount(trace_.options); ++n) closeRole(n, end);
        if (trace_.witness) witness(*trace_.witness, end);
        return Json{{"displayTimeUnit", "ms"}, {"traceEvents", std::move(out_)}};
    }

private:
    struct OpenSlice {
        std::string name;
        sim::Micros start = 0;
    };

    void metadata() {
        out_.push_back(Json{{"name", "process_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", 0},
                            {"args", {{"name", fmt::format("raftsim seed {}", trace_.seed)}}}});
        for (raft::NodeId n = 0; n < sim::hostCount(trace_.options); ++n) threadName(tidOf(n), fmt::format("node {}", n));
        threadName(kClusterTid, "cluster");
    }
    void threadName(int tid, const std::string& name) {
        out_.push_back(Json{{"name", "thread_name"}, {"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"args", {{"name", name}}}});
    }

    // A track of its own: each operation a slice (category lin-witness) from its invocation
    // to its completion, or to the end when its outcome is unknown.
    void witness(const sim::lin::KeyWitness& w, sim::Micros end) {
        threadName(kWitnessTid, witnessTitle(w));
        for (const sim::Operation& op : w.witness.ops) {
            const bool completed = op.outcome == sim::Outcome::Ok || op.outcome == sim::Outcome::Fail;
            const sim::Micros until = completed ? op.completeUs : std::max(end, op.invokeUs);
            Json args{{"key", w.key}, {"outcome", sim::name(op.outcome)}, {"invokeEvent", op.invokeEvent}};
            if (op.outcome != sim::Outcome::Pending) args["completeEvent"] = op.completeEvent;
            out_.push_back(Json{{"name", sim::lin::describe(op)}, {"cat", "lin-witness"}, {"ph", "X"}, {"pid", kPid},
                                {"tid", kWitnessTid}, {"ts", op.invokeUs}, {"dur", std::max<sim::Micros>(1, until - op.invokeUs)},
                                {"args", std::move(args)}});
        }
    }

    void onEvent(const sim::EventRecord& e) {
        if (e.node == raft::kNoNode) {
            if (e.kind == sim::EventKind::Liveness || e.kind == sim::EventKind::End ||
                e.kind == sim::EventKind::HealNetwork || e.kind == sim::EventKind::Nemesis) {
                if (e.kind != sim::EventKind::Nemesis || e.fault != sim::Nemesis::Count_) {
                    instant(kClusterTid, e.timeUs, std::string(stepName(e)), e.index);
                }
            }
            return;
        }
        setRole(e);
        if (e.kind == sim::EventKind::Nemesis) {
            instant(tidOf(e.node), e.timeUs, std::string(stepName(e)), e.index);
            return;
        }
        if (!e.stepped) return;
        out_.push_back(Json{{"name", stepName(e)}, {"cat", "step"}, {"ph", "X"}, {"pid", kPid},
                            {"tid", tidOf(e.node)}, {"ts", e.timeUs}, {"dur", 1},
                            {"args", {{"event", e.index}, {"after", stateText(e)}}}});
        if (e.kind == sim::EventKind::Timer && e.ref == static_cast<std::uint32_t>(raft::Timer::Election)) {
            instant(tidOf(e.node), e.timeUs, "election timeout", e.index);
        }
        if (e.kind == sim::EventKind::Deliver) flow(e);
    }

    void setRole(const sim::EventRecord& e) {
        const std::string name = e.up ? fmt::format("{} t{}", raft::name(e.role), e.term) : "down";
        std::optional<OpenSlice>& open = open_[e.node];
        if (open && open->name == name) return;
        closeRole(e.node, e.timeUs);
        open = OpenSlice{name, e.timeUs};
    }
    void closeRole(raft::NodeId n, sim::Micros end) {
        std::optional<OpenSlice>& open = open_[n];
        if (!open) return;
        out_.push_back(Json{{"name", open->name}, {"cat", "role"}, {"ph", "X"}, {"pid", kPid}, {"tid", tidOf(n)},
                            {"ts", open->start}, {"dur", end - open->start}});
        open.reset();
    }

    void instant(int tid, sim::Micros ts, const std::string& name, std::uint64_t event) {
        out_.push_back(Json{{"name", name}, {"cat", "instant"}, {"ph", "i"}, {"s", "t"}, {"pid", kPid},
                            {"tid", tid}, {"ts", ts}, {"args", {{"event", event}}}});
    }

    // An arrow from the step that sent the message to the step that received it.
    void flow(const sim::EventRecord& e) {
        const bool known = e.sentEvent >= 1 && e.sentEvent <= trace_.events.size();
        const sim::Micros sentAt = known ? trace_.events[e.sentEvent - 1].timeUs : 0;
        const std::string name(raft::name(e.msgKind));
        out_.push_back(Json{{"name", name}, {"cat", "message"}, {"ph", "s"}, {"id", e.index}, {"pid", kPid},
                            {"tid", tidOf(e.from)}, {"ts", sentAt}, {"bp", "e"}});
        out_.push_back(Json{{"name", name}, {"cat", "message"}, {"ph", "f"}, {"id", e.index}, {"pid", kPid},
                            {"tid", tidOf(e.node)}, {"ts", e.timeUs}, {"bp", "e"}});
    }

    const Trace& trace_;
    std::vector<std::optional<OpenSlice>> open_;
    Json out_ = Json::array();
};

}  // namespace

std::string exportPerfetto(const Trace& trace) { return PerfettoWriter(trace).build().dump() + "\n"; }

}  // namespace traces
