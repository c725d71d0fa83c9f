// Depth-first search on one thread: an explicit stack of states with their enabled
// events. Finds deep states quickly; its counterexamples need not be the shortest.
#include "sim/mc/search_common.hpp"

namespace mc {

namespace {

// The stack is the path from the initial state: a counterexample is read off it.
struct Frame {
    State state;
    std::uint64_t fp = 0;
    std::vector<Event> events;
    std::size_t next = 0;
};

// Inserts, growing the table when it is full.
FpTable::Outcome insertGrowing(FpTable& table, std::uint64_t fp) {
    const FpTable::Outcome outcome = table.insert(fp);
    if (outcome != FpTable::Outcome::Full && table.load() <= kGrowAt) return outcome;
    table.grow(capacityFor(table.size() + 1));
    return outcome == FpTable::Outcome::Full ? table.insert(fp) : outcome;
}

std::vector<std::uint64_t> pathOf(const std::vector<Frame>& stack) {
    std::vector<std::uint64_t> fps;
    for (const Frame& f : stack) fps.push_back(f.fp);
    return fps;
}

}  // namespace

SearchResult dfs(Model& model, FpTable& table, const SearchOptions& options) {
    SearchResult result;
    std::vector<Frame> stack;
    stack.push_back(Frame{model.initial(), 0, {}, 0});
    stack.back().fp = model.fingerprint(stack.back().state);
    table.insert(stack.back().fp);
    model.enabled(stack.back().state, stack.back().events);
    State next;
    std::optional<Found> found;
    std::vector<std::uint64_t> path;
    std::uint64_t steps = 0;
    while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next == top.events.size()) {
            stack.pop_back();
            continue;
        }
        const Event e = top.events[top.next++];
        const StepResult r = model.step(top.state, e, next);
        if (!r.inBounds) continue;
        ++result.transitions;
        if (r.violation) {
            found = Found{top.fp, e, *r.violation};
            path = pathOf(stack);
            break;
        }
        result.sawLeader |= r.seen.leaderElected;
        result.sawCommit |= r.seen.entryCommitted;
        const std::uint64_t fp = model.fingerprint(next);
        if (insertGrowing(table, fp) != FpTable::Outcome::Added) continue;
        stack.push_back(Frame{next, fp, {}, 0});
        model.enabled(stack.back().state, stack.back().events);
        result.depth = std::max(result.depth, static_cast<int>(stack.size()) - 1);
        if ((options.maxStates != 0 && table.size() >= options.maxStates) || options.interrupted()) break;
        if (options.progress && (++steps & 4095) == 0) {
            options.progress(table.size(), result.transitions, result.depth);
        }
    }
    result.complete = stack.empty();
    if (found) result.counterexample = rebuild(model, path, *found);
    return result;
}

}  // namespace mc
