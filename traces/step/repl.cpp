#include "traces/step/repl.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

#include "traces/model_trace.hpp"
#include "traces/scenario/words.hpp"
#include "traces/step/view.hpp"

namespace step {

namespace {

constexpr std::string_view kHelp[] = {
    "commands:",
    "  N                      take choice N of the list",
    "  deliver|drop|duplicate MSG, timeout N, heartbeat N, propose N [V], crash N, restart N,",
    "  partition A B | C, cut A->B, heal, deliver-all, drop-all   (scenarios/README.md)",
    "  back [N]               undo the last N commands (1 by default)",
    "  run until leader|commit|quiet [max=N]   take steps in a fixed order until then",
    "  show                   the nodes, messages and choices again",
    "  save FILE.scn|FILE.json   the session as a scenario or a model trace",
    "  quit",
};

bool endsWith(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

class Loop {
public:
    Loop(Stepper& s, std::ostream& out, const ReplOptions& o) : s_(s), out_(out), o_(o) {}

    void print(const std::vector<std::string>& lines) {
        for (const std::string& l : lines) out_ << paint(l, o_.colour) << '\n';
    }

    void view() {
        print(nodesView(s_.session(), o_.colour));
        print(flightView(s_.session()));
        if (s_.session().violation()) {
            const mc::TraceVerdict& v = *s_.session().violation();
            print({fmt::format("VIOLATED {} at step {}: {} (the path ends here: back, or save it)", v.property, v.step, v.details)});
            return;
        }
        choices_ = choices(s_.session(), s_.nextValue());
        print(choicesView(choices_, o_.colour));
    }

    // False: quit.
    bool handle(const std::vector<std::string>& w) {
        if (w.front() == "quit" || w.front() == "exit") return false;
        if (w.front() == "help") {
            for (const std::string_view l : kHelp) out_ << l << '\n';
        } else if (w.front() == "show" && w.size() == 1) {
            view();
        } else if (w.front() == "back") {
            back(w);
        } else if (w.front() == "run") {
            runUntil(w);
        } else if (w.front() == "save") {
            if (w.size() != 2) throw std::invalid_argument("usage: save FILE.scn|FILE.json");
            save(s_, w[1], o_.repro);
            out_ << fmt::format("saved {} ({} commands, {} steps)\n", w[1], s_.depth(), s_.trace().steps.size());
        } else if (const std::optional<int> k = scenario::number(w.front()); k && w.size() == 1) {
            if (*k < 1 || static_cast<std::size_t>(*k) > choices_.size()) {
                throw std::invalid_argument(fmt::format("no choice {} (1..{})", *k, choices_.size()));
            }
            out_ << "= " << choices_[*k - 1].command << '\n';
            stepWith(scenario::splitWords(choices_[*k - 1].command));
        } else {
            stepWith(w);
        }
        return true;
    }

private:
    void stepWith(const std::vector<std::string>& w) {
        const Output lines = s_.run(w);
        print(lines);
        if (w.front() != "show") view();
    }

    void back(const std::vector<std::string>& w) {
        int n = 1;
        if (w.size() == 2) {
            const std::optional<int> v = scenario::number(w[1]);
            if (!v || *v < 1) throw std::invalid_argument("usage: back [N], N >= 1");
            n = *v;
        } else if (w.size() > 2) {
            throw std::invalid_argument("usage: back [N]");
        }
        const int undone = s_.back(n);
        out_ << fmt::format("back {} (now {} commands in)\n", undone, s_.depth());
        view();
    }

    void runUntil(const std::vector<std::string>& w) {
        const std::optional<Goal> goal = w.size() >= 3 && w[1] == "until" ? goalNamed(w[2]) : std::nullopt;
        int max = kRunDefault;
        if (w.size() == 4) {
            const auto kv = scenario::keyValue(w[3]);
            const std::optional<int> v = kv && kv->first == "max" ? scenario::number(kv->second) : std::nullopt;
            if (!v || *v < 1 || *v > kRunMax) throw std::invalid_argument(fmt::format("max is 1..{}", kRunMax));
            max = *v;
        }
        if (!goal || w.size() > 4) throw std::invalid_argument("usage: run until leader|commit|quiet [max=N]");
        print(s_.runUntil(*goal, max));
        view();
    }

    Stepper& s_;
    std::ostream& out_;
    const ReplOptions& o_;
    std::vector<Choice> choices_;
};

}  // namespace

void save(const Stepper& stepper, const std::string& path, const std::string& repro) {
    if (endsWith(path, ".scn")) {
        std::ofstream f(path);
        f << stepper.scenarioText(fmt::format("Saved by `{}`.", repro));
        if (!f) throw std::runtime_error(fmt::format("cannot write '{}'", path));
    } else if (endsWith(path, ".json")) {
        mc::ModelTrace t = stepper.trace();
        t.repro = repro;
        traces::writeTrace(path, t);
    } else {
        throw std::invalid_argument(fmt::format("save FILE: '{}' must end in .scn (a scenario) or .json (a model trace)", path));
    }
}

int repl(Stepper& stepper, std::istream& in, std::ostream& out, const ReplOptions& options) {
    Loop loop(stepper, out, options);
    loop.view();
    std::string line;
    for (std::size_t n = 0; n < kMaxLines; ++n) {
        if (options.prompt) out << "step> " << std::flush;
        if (!std::getline(in, line)) break;
        const std::vector<std::string> w = scenario::splitWords(scenario::printable(line));
        if (w.empty() || w.front().starts_with("#")) continue;
        if (options.echo) out << "> " << scenario::trim(line) << '\n';
        try {
            if (!loop.handle(w)) break;
        } catch (const std::exception& e) {
            out << "error: " << e.what() << '\n';
        }
        out << std::flush;
    }
    return stepper.session().violation() ? 1 : 0;
}

}  // namespace step
