// Depth-first search on one thread: an explicit stack of states with their enabled
// events. Finds deep states quickly; its counterexamples need not be the shortest.
#include "sim/mc/search_common.hpp"

namespace mc {

namespace {

struct Frame {
    State state;
    std::vector<Event> events;
    std::size_t next = 0;
    std::uint32_t slot = 0;
};

// Inserts, growing the table (and renumbering the stack's slots) when it is full.
FpTable::Insert insertGrowing(FpTable& table, std::vector<Frame>& stack, std::uint64_t fp,
                              std::uint32_t parent) {
    FpTable::Insert ins = table.insert(fp, parent);
    if (ins.outcome != FpTable::Outcome::Full &&
        table.load() <= kGrowAt) {
        return ins;
    }
    const std::vector<std::uint32_t> moved = table.grow(capacityFor(table.size() + 1));
    for (Frame& f : stack) f.slot = moved[f.slot];
    if (ins.outcome == FpTable::Outcome::Full) return table.insert(fp, moved[parent]);
    return FpTable::Insert{ins.outcome, moved[ins.slot]};
}

}  // namespace

SearchResult dfs(Model& model, FpTable& table, const SearchOptions& options) {
    SearchResult result;
    std::vector<Frame> stack;
    stack.push_back(Frame{model.initial(), {}, 0, 0});
    stack.back().slot = table.insert(model.fingerprint(stack.back().state), FpTable::kNoParent).slot;
    model.enabled(stack.back().state, stack.back().events);
    State next;
    std::optional<Found> found;
    std::uint64_t steps = 0;
    while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next == top.events.size()) {
            stack.pop_back();
            continue;
        }
        const Event e = top.events[top.next++];
        const std::uint32_t parent = top.slot;
        const StepResult r = model.step(top.state, e, next);
        if (!r.inBounds) continue;
        ++result.transitions;
        if (r.violation) {
            found = Found{table.fpAt(parent), e, *r.violation};
            break;
        }
        result.sawLeader |= r.seen.leaderElected;
        result.sawCommit |= r.seen.entryCommitted;
        const FpTable::Insert ins = insertGrowing(table, stack, model.fingerprint(next), parent);
        if (ins.outcome != FpTable::Outcome::Added) continue;
        stack.push_back(Frame{next, {}, 0, ins.slot});
        model.enabled(stack.back().state, stack.back().events);
        result.depth = std::max(result.depth, static_cast<int>(stack.size()) - 1);
        if (options.maxStates != 0 && table.size() >= options.maxStates) break;
        if (options.progress && (++steps & 4095) == 0) {
            options.progress(table.size(), result.transitions, result.depth);
        }
    }
    result.complete = stack.empty();
    if (found) result.counterexample = rebuild(model, table, *found);
    return result;
}

}  // namespace mc
