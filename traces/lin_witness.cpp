#include "traces/lin_witness.hpp"

#include <fmt/format.h>

namespace traces {

bool sameWitness(const sim::lin::KeyWitness& a, const sim::lin::KeyWitness& b) {
    return a.key == b.key && a.keyOperations == b.keyOperations && a.witness.minimal == b.witness.minimal &&
           a.witness.ops == b.witness.ops;
}

std::string witnessTitle(const sim::lin::KeyWitness& w) {
    return fmt::format("linearizability violated on key {}: {} of its {} operations have no linearization ({})", w.key,
                       w.witness.ops.size(), w.keyOperations,
                       w.witness.minimal ? "a minimal sub-history" : "shrinking ran out of budget");
}

std::string witnessOpText(const sim::Operation& op) {
    const std::string end = op.outcome == sim::Outcome::Pending ? "" : fmt::format("{}", op.completeEvent);
    return fmt::format("{} events {}..{}", sim::lin::describe(op), op.invokeEvent, end);
}

std::multimap<std::uint64_t, WitnessMark> witnessMarks(const sim::lin::KeyWitness& w) {
    std::multimap<std::uint64_t, WitnessMark> marks;
    for (const sim::Operation& op : w.witness.ops) {
        marks.emplace(op.invokeEvent, WitnessMark{&op, true});
        if (op.outcome != sim::Outcome::Pending) marks.emplace(op.completeEvent, WitnessMark{&op, false});
    }
    return marks;
}

std::string markText(const WitnessMark& mark) {
    const sim::Operation& op = *mark.op;
    const std::string what = mark.invoke ? "invoked" : fmt::format("completed ({})", sim::name(op.outcome));
    return fmt::format("lin-witness: {} {}", sim::lin::describe(op), what);
}

}  // namespace traces
