// An interactive session over the scenario engine (`raftsim step`): scenario commands
// taken one at a time, a history of where each started so `back` can undo it, `run
// until` goals taken in a fixed order, and the session written out as a scenario (with
// its expectations) or a model trace. Deterministic: the same commands give the same
// session.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "traces/scenario/commands.hpp"

namespace step {

using Output = scenario::Output;
using Words = std::vector<std::string>;

enum class Goal { Leader, Commit, Quiet };
constexpr int kRunDefault = 200;  // steps one `run until` takes at most
constexpr int kRunMax = 10'000;

class Stepper {
public:
    // Starts with a `cluster ...` command (scenarios/README.md). Throws
    // std::invalid_argument when it is malformed.
    explicit Stepper(const std::string& clusterCommand);

    const scenario::Session& session() const { return *ctx_.session; }
    int nextValue() const { return ctx_.nextValue; }
    const Output& clusterOutput() const { return clusterOut_; }

    // Runs one scenario command (not `cluster`); `show` is answered but not kept.
    // Throws std::invalid_argument saying why it cannot run; the session is unchanged.
    Output run(const Words& words);

    // Undoes the last `n` commands (fewer if there are fewer); returns how many.
    int back(int n);
    std::size_t depth() const { return history_.size(); }

    // Takes steps in a fixed order until the goal is met, a violation happens, nothing is
    // left to do, or `max` steps were taken: a message in flight first (in the bag's
    // order; dropped if its link is cut or its receiver down), else, for commit, the
    // leader of the highest term (a heartbeat if it has uncommitted entries, else a
    // proposal), else an election timeout of the node with the most up-to-date log. Each
    // step is one command of the history.
    Output runUntil(Goal goal, int max);

    // The session as a scenario file (every block filled in) and as a model trace.
    std::string scenarioText(const std::string& comment) const;
    mc::ModelTrace trace() const { return session().trace(); }

private:
    struct Done {
        Words words;
        Output out;
        scenario::Session::Mark before;
        int nextValueBefore = 1;
    };
    std::optional<Words> nextMove(Goal goal) const;

    std::string cluster_;
    scenario::Context ctx_;
    Output clusterOut_;
    std::vector<Done> history_;
};

std::optional<Goal> goalNamed(const std::string& word);

}  // namespace step
