#include "traces/stepper.hpp"

#include <fmt/format.h>

#include <memory>

#include "sim/findings.hpp"
#include "traces/describe_event.hpp"
#include "traces/lin_witness.hpp"
#include "traces/model_explain.hpp"
#include "traces/sim_explain.hpp"

namespace traces {

namespace {

std::string logText(const std::vector<raft::Term>& log) {
    std::string s;
    for (std::size_t i = 0; i < log.size();) {
        std::size_t run = 1;
        while (i + run < log.size() && log[i + run] == log[i]) ++run;
        const std::size_t shown = run >= 3 ? 1 : run;
        for (std::size_t k = 0; k < shown; ++k) s += fmt::format("{}{}", s.empty() ? "" : ",", log[i]);
        if (run >= 3) s += fmt::format("x{}", run);
        i += run >= 3 ? run : shown;
    }
    return "[" + s + "]";
}

// The node the event happened to is marked with '>'.
std::string_view margin(int node, raft::NodeId marked) { return node == marked ? "> " : "  "; }

void printNodes(std::ostream& out, const mc::StepRecord& record, raft::NodeId marked) {
    for (std::size_t i = 0; i < record.nodes.size(); ++i) {
        const auto id = static_cast<raft::NodeId>(i);
        out << margin(id, marked) << nodeLine(id, record.nodes[i]) << '\n';
    }
}

void printInFlight(std::ostream& out, const mc::Model& model, const mc::State& s) {
    if (s.bag.empty()) {
        out << "  in flight: none\n";
        return;
    }
    out << "  in flight:\n";
    for (const mc::BagItem& item : s.bag) {
        out << "    " << mc::describe(model.message(item.msg)) << (item.count > 1 ? fmt::format(" (x{})", item.count) : "")
            << '\n';
    }
}

std::string eventLine(const sim::EventRecord& e) {
    const std::string node = e.node == raft::kNoNode ? "" : fmt::format(" n{}", e.node);
    return fmt::format("event {} t={}us{}: {}", e.index, e.timeUs, node, stepName(e));
}

// A node of another implementation, through the seam: its view and its log's terms.
mc::NodeRecord seamRecord(const sim::NodeUnderTest& node) {
    const sim::NodeView v = node.view();
    mc::NodeRecord r{.role = v.role, .currentTerm = v.currentTerm, .votedFor = v.votedFor,
                     .commitIndex = v.commitIndex};
    if (v.lastIndex > 0) {
        for (const raft::Entry& e : node.entries(1, v.lastIndex)) r.log.push_back(e.term);
    }
    return r;
}

}  // namespace

std::string nodeLine(raft::NodeId id, const mc::NodeRecord& n) {
    const std::string vote = n.votedFor == raft::kNoNode ? "-" : fmt::format("{}", n.votedFor);
    const std::string role = n.down ? "down" : std::string(raft::name(n.role));
    std::string log = logText(n.log);
    if (n.snapshotIndex > 0) {
        log.insert(1, fmt::format("snap({},t{}){}", n.snapshotIndex, n.snapshotTerm, n.log.empty() ? "" : ","));
    }
    std::string line = fmt::format("n{} {:<9} t{} vote={} commit={} log={}", id, role, n.currentTerm, vote,
                                   n.commitIndex, log);
    if (n.shown) line += " voters=" + sim::findings::idSet(n.voters);
    if (n.learners != 0) line += " learners=" + sim::findings::idSet(n.learners);
    return line;
}

WorldWatcher simStepper(std::ostream& out, const std::optional<sim::lin::KeyWitness>& witness) {
    auto explainer = std::make_shared<SimExplainer>();
    auto violated = std::make_shared<bool>(false);
    // The witness is kept here: the marks point into it.
    struct Marks {
        std::optional<sim::lin::KeyWitness> witness;
        std::multimap<std::uint64_t, WitnessMark> at;
    };
    auto marks = std::make_shared<Marks>(Marks{witness, {}});
    if (marks->witness) marks->at = witnessMarks(*marks->witness);
    return [&out, explainer, violated, marks](const sim::EventRecord& e, const sim::World& world) {
        out << eventLine(e) << '\n';
        for (const std::string& line : explainer->next(e, world)) out << "  " << line << '\n';
        const auto [from, to] = marks->at.equal_range(e.index);
        for (auto it = from; it != to; ++it) out << "  " << markText(it->second) << '\n';
        if (world.violation() && !*violated) {
            *violated = true;
            out << fmt::format("  VIOLATED {}: {}\n", world.violation()->property, world.violation()->details);
        }
        for (int i = 0; i < world.nodeCount(); ++i) {
            const auto id = static_cast<raft::NodeId>(i);
            const raft::Node* node = world.node(id);
            const sim::NodeUnderTest* member = world.member(id);
            out << margin(id, e.node)
                << (node != nullptr     ? nodeLine(id, mc::nodeRecord(*node, false, world.changesConfigOrLog()))
                    : member != nullptr ? nodeLine(id, seamRecord(*member))
                                        : fmt::format("n{} down", i))
                << '\n';
        }
    };
}

void printWitness(std::ostream& out, const sim::lin::KeyWitness& witness) {
    out << witnessTitle(witness) << ":\n";
    for (const sim::Operation& op : witness.witness.ops) out << "  " << witnessOpText(op) << '\n';
}

void printInitial(std::ostream& out, const mc::ModelTrace& path) {
    mc::Model model(path.bounds);
    const mc::State s = model.initial();
    out << fmt::format("initial state ({}):\n", path.bounds.describe());
    printNodes(out, mc::snapshot(model, s), raft::kNoNode);
    printInFlight(out, model, s);
}

mc::StepObserver modelStepper(std::ostream& out, const mc::ModelTrace& path) {
    auto explainer = std::make_shared<PathExplainer>(path.bounds);
    return [&out, &path, explainer](std::size_t k, const mc::Model& model, const mc::State& s) {
        out << fmt::format("step {}: {}\n", k + 1, mc::describe(path.steps[k]));
        const StepWhy why = explainer->next(path.steps[k]);
        if (!why.why.empty()) out << "  why: " << why.why << '\n';
        for (const std::string& c : why.notes) out << "  " << c << '\n';
        if (path.verdict && path.verdict->step == k + 1) {
            out << fmt::format("  VIOLATED {}: {}\n", path.verdict->property, path.verdict->details);
        }
        printNodes(out, mc::snapshot(model, s), path.steps[k].event.node);
        printInFlight(out, model, s);
    };
}

}  // namespace traces
