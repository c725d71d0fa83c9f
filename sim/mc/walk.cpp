// Random walks through the model (stateright's simulation checker): from the initial
// state, each step fires one enabled event chosen at random, with the project's PRNG,
// until the walk is `walkDepth` steps long or nothing is enabled. The walks use the
// same enabled-events function and the same step as the exhaustive searches, so what a
// walk finds is the same kind of counterexample. They reach deep states that BFS would
// take hours to: a pass proves nothing, a violation is real. What a walk finds is
// shortened (sim/mc/shorten.hpp) before it is reported.
#include <algorithm>

#include "sim/mc/cex_json.hpp"
#include "sim/mc/search_common.hpp"
#include "sim/mc/shorten.hpp"
#include "sim/rng.hpp"

namespace mc {

namespace {

struct Walker {
    Model& model;
    FpTable& table;
    const SearchOptions& options;
    SearchResult result;
    std::vector<std::uint64_t> path;  // this walk's states; a state seen again cuts the loop
    std::optional<Found> found;

    // One walk from `initial`, drawing from `rng`. False: a violation was found.
    bool walk(const State& initial, sim::Rng rng) {
        State s = initial;
        State next;
        std::vector<Event> events;
        path.assign(1, model.fingerprint(s));
        table.insert(path[0]);
        for (int step = 0; step < options.walkDepth; ++step) {
            model.enabled(s, events);
            if (!takeOne(s, events, rng, next)) break;
            if (found) return false;
            std::swap(s, next);
            revisit(model.fingerprint(s));
        }
        return true;
    }

    // Fires a random enabled event that stays within the bounds; false if there is none.
    bool takeOne(const State& s, std::vector<Event>& events, sim::Rng& rng, State& next) {
        while (!events.empty()) {
            const std::size_t k = rng.below(events.size());
            const StepResult r = model.step(s, events[k], next);
            if (!r.inBounds) {
                events.erase(events.begin() + static_cast<std::ptrdiff_t>(k));
                continue;
            }
            ++result.transitions;
            result.sawLeader |= r.seen.leaderElected;
            result.sawCommit |= r.seen.entryCommitted;
            if (r.violation) found = Found{path.back(), events[k], *r.violation};
            return true;
        }
        return false;
    }

    // Appends `fp` to the path, or cuts the path back to where `fp` was seen before.
    void revisit(std::uint64_t fp) {
        const auto again = std::find(path.begin(), path.end(), fp);
        if (again != path.end()) {
            path.erase(again + 1, path.end());
        } else {
            path.push_back(fp);
        }
        result.depth = std::max(result.depth, static_cast<int>(path.size()) - 1);
        if (table.insert(fp) == FpTable::Outcome::Full) {
            table.grow(capacityFor(table.size() + 1));
            table.insert(fp);
        }
    }
};

}  // namespace

SearchResult walk(Model& model, FpTable& table, const SearchOptions& options) {
    Walker w{model, table, options, {}, {}, {}};
    const sim::Rng root(options.seed);
    const State initial = model.initial();
    for (std::uint64_t k = 0; k < options.walks; ++k) {
        if (!w.walk(initial, root.fork(k))) break;
        if ((options.maxStates != 0 && table.size() >= options.maxStates) || options.interrupted()) break;
        if (options.progress && (k & 255) == 255) options.progress(table.size(), w.result.transitions, w.result.depth);
    }
    if (w.found) {
        const Counterexample found = rebuild(model, w.path, *w.found);
        const ModelTrace shorter = shorten(record(model.bounds(), found));
        const TraceVerdict& v = *shorter.verdict;
        w.result.counterexample = Counterexample{{v.property, v.details}, shorter.steps, found.steps.size()};
    }
    return w.result;
}

}  // namespace mc
