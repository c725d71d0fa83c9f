#include "traces/step/stepper.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "traces/scenario/words.hpp"
#include "traces/step/choices.hpp"

namespace step {

namespace {

std::string joined(const Words& w) {
    std::string s;
    for (const std::string& x : w) s += (s.empty() ? "" : " ") + x;
    return s;
}

// A node became leader, or one's commitIndex grew, between two records.
bool reached(Goal goal, const mc::StepRecord& before, const mc::StepRecord& after, const mc::State& now) {
    if (goal == Goal::Quiet) return now.bag.empty();
    for (std::size_t i = 0; i < after.nodes.size(); ++i) {
        const mc::NodeRecord& a = after.nodes[i];
        const mc::NodeRecord& b = before.nodes[i];
        if (a.down) continue;
        if (goal == Goal::Leader && a.role == raft::Role::Leader &&
            (b.role != raft::Role::Leader || b.currentTerm != a.currentTerm || b.down)) {
            return true;
        }
        if (goal == Goal::Commit && a.commitIndex > b.commitIndex) return true;
    }
    return false;
}

// The first message in flight: delivered, or dropped when its link is cut or its
// receiver is down.
std::optional<Words> messageMove(const scenario::Session& s) {
    for (const mc::BagItem& item : s.state().bag) {
        const raft::Message& m = s.model().message(item.msg);
        const bool up = (s.state().env[m.to] & mc::kUp) != 0;
        const std::string verb = up && !s.blocked(m) ? "deliver" : "drop";
        return scenario::splitWords(verb + " " + messageWords(s.model(), s.state(), item.msg));
    }
    return std::nullopt;
}

bool has(const std::vector<mc::Event>& enabled, mc::EventKind kind, raft::NodeId node, std::uint32_t value = 0,
         raft::Timer timer = raft::Timer::Election) {
    for (const mc::Event& e : enabled) {
        if (e.kind == kind && e.node == node && (kind != mc::EventKind::Client || e.value == value) &&
            (kind != mc::EventKind::Timeout || e.timer == timer)) {
            return true;
        }
    }
    return false;
}

// The leader of the highest term: a heartbeat carries what it has not committed, else a
// proposal gives it something to commit.
std::optional<Words> commitMove(const scenario::Session& s, const std::vector<mc::Event>& enabled, int nextValue) {
    int leader = -1;
    for (int i = 0; i < s.nodes(); ++i) {
        if ((s.state().env[i] & mc::kUp) == 0) continue;
        const raft::Node& n = s.model().node(s.state(), i);
        if (n.role() == raft::Role::Leader &&
            (leader < 0 || n.currentTerm() > s.model().node(s.state(), leader).currentTerm())) {
            leader = i;
        }
    }
    if (leader < 0) return std::nullopt;
    const auto id = static_cast<raft::NodeId>(leader);
    const raft::Node& n = s.model().node(s.state(), leader);
    if (n.commitIndex() < n.log().lastIndex() && has(enabled, mc::EventKind::Timeout, id, 0, raft::Timer::Heartbeat)) {
        return Words{"heartbeat", std::to_string(leader)};
    }
    if (has(enabled, mc::EventKind::Client, id, static_cast<std::uint32_t>(nextValue))) return Words{"propose", std::to_string(leader)};
    return std::nullopt;
}

// The candidate most likely to win: the most up-to-date log (§5.4.1), then the lowest id.
std::optional<Words> electionMove(const scenario::Session& s, const std::vector<mc::Event>& enabled) {
    const mc::Event* best = nullptr;
    const auto logEnd = [&](const mc::Event& e) {
        const raft::Node& n = s.model().node(s.state(), e.node);
        return std::pair{n.log().lastTerm(), n.log().lastIndex()};
    };
    for (const mc::Event& e : enabled) {
        if (e.kind == mc::EventKind::Timeout && e.timer == raft::Timer::Election &&
            s.model().node(s.state(), e.node).role() != raft::Role::Leader && (best == nullptr || logEnd(e) > logEnd(*best))) {
            best = &e;
        }
    }
    if (best == nullptr) return std::nullopt;
    return Words{"timeout", std::to_string(best->node)};
}

}  // namespace

std::optional<Goal> goalNamed(const std::string& word) {
    if (word == "leader") return Goal::Leader;
    if (word == "commit") return Goal::Commit;
    if (word == "quiet") return Goal::Quiet;
    return std::nullopt;
}

Stepper::Stepper(const std::string& clusterCommand) : cluster_(clusterCommand) {
    const Words w = scenario::splitWords(clusterCommand);
    if (w.empty() || w.front() != "cluster") throw std::invalid_argument("the first command must be 'cluster N ...'");
    clusterOut_ = scenario::execute(ctx_, w);
}

Output Stepper::run(const Words& words) {
    if (words.empty()) throw std::invalid_argument("empty command");
    if (words.front() == "cluster") throw std::invalid_argument("the cluster is already set up");
    if (words.front() == "show") return scenario::execute(ctx_, words);
    Done d{words, {}, ctx_.session->mark(), ctx_.nextValue};
    try {
        d.out = scenario::execute(ctx_, words);
    } catch (...) {
        ctx_.session->restore(d.before);
        ctx_.nextValue = d.nextValueBefore;
        throw;
    }
    Output out = d.out;
    history_.push_back(std::move(d));
    return out;
}

int Stepper::back(int n) {
    int undone = 0;
    while (undone < n && !history_.empty()) {
        ctx_.session->restore(history_.back().before);
        ctx_.nextValue = history_.back().nextValueBefore;
        history_.pop_back();
        ++undone;
    }
    return undone;
}

std::optional<Words> Stepper::nextMove(Goal goal) const {
    const scenario::Session& s = session();
    if (std::optional<Words> m = messageMove(s)) return m;
    if (goal == Goal::Quiet) return std::nullopt;
    std::vector<mc::Event> enabled;
    s.model().enabled(s.state(), enabled);
    if (goal == Goal::Commit) {
        if (std::optional<Words> m = commitMove(s, enabled, ctx_.nextValue)) return m;
    }
    return electionMove(s, enabled);
}

Output Stepper::runUntil(Goal goal, int max) {
    Output out;
    for (int steps = 0;; ++steps) {
        if (session().violation()) {
            out.push_back(fmt::format("stopped at a violation after {} steps", steps));
            return out;
        }
        if (goal == Goal::Quiet && session().state().bag.empty()) {
            out.push_back(fmt::format("reached after {} steps", steps));
            return out;
        }
        if (steps >= max) {
            out.push_back(fmt::format("stopped after {} steps (max={})", steps, max));
            return out;
        }
        const std::optional<Words> move = nextMove(goal);
        if (!move) {
            out.push_back(fmt::format("nothing left to do after {} steps", steps));
            return out;
        }
        const mc::StepRecord before = mc::snapshot(session().model(), session().state());
        const Output lines = run(*move);
        out.push_back("> " + joined(*move));
        out.insert(out.end(), lines.begin(), lines.end());
        const mc::StepRecord after = mc::snapshot(session().model(), session().state());
        if (!session().violation() && goal != Goal::Quiet && reached(goal, before, after, session().state())) {
            out.push_back(fmt::format("reached after {} steps", steps + 1));
            return out;
        }
    }
}

std::string Stepper::scenarioText(const std::string& comment) const {
    std::string text = fmt::format("# {}\n\n{}\n----\n", comment, cluster_);
    for (const std::string& line : clusterOut_) text += line + "\n";
    for (const Done& d : history_) {
        text += fmt::format("\n{}\n----\n", joined(d.words));
        for (const std::string& line : d.out) text += line + "\n";
    }
    if (const auto& v = session().violation()) {
        text += fmt::format("\nexpect-violation {}\n----\nVIOLATED {} at step {}\n", v->property, v->property, v->step);
    }
    return text;
}

}  // namespace step
