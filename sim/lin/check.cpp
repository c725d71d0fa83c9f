#include "sim/lin/check.hpp"

#include <fmt/format.h>

#include "sim/lin/partition.hpp"
#include "sim/lin/search.hpp"

namespace sim::lin {

std::string_view name(Verdict verdict) {
    switch (verdict) {
        case Verdict::Ok: return "ok";
        case Verdict::Violated: return "violated";
        case Verdict::Unknown: return "unknown";
    }
    return "?";
}

Result check(std::span<const Operation> history, const Budget& budget) {
    Result out;
    out.operations = history.size();
    for (KeyHistory& k : partition(history)) {
        out.keys += 1;
        if (out.verdict == Verdict::Violated) continue;  // counted, not searched
        const SearchResult r = search(k.ops, budget.searchSteps);
        out.states += r.states;
        out.steps += r.steps;
        if (r.verdict == Verdict::Unknown) {
            out.unknownKeys += 1;
            out.verdict = Verdict::Unknown;
        } else if (r.verdict == Verdict::Violated) {
            out.verdict = Verdict::Violated;
            const std::uint64_t searched = k.ops.size();
            out.witness = KeyWitness{k.key, searched,
                                     shrinkWitness(std::move(k.ops), budget.searchSteps, budget.witnessSteps)};
        }
    }
    return out;
}

namespace {

std::string seconds(Micros us) { return fmt::format("{:.6f}s", static_cast<double>(us) / 1e6); }

}  // namespace

std::string describe(const Operation& op) {
    const KvCommand& c = op.command;
    std::string cmd;
    switch (c.op) {
        case KvOp::Put: cmd = fmt::format("put {}", c.value & KvCommand::kValueMask); break;
        case KvOp::Get: cmd = "get"; break;
        case KvOp::Cas:
            cmd = fmt::format("cas {}->{}", c.expected & KvCommand::kValueMask, c.value & KvCommand::kValueMask);
            break;
        case KvOp::Register: cmd = "register"; break;
    }
    const std::string result = op.outcome == Outcome::Ok ? fmt::format("{}", op.result) : std::string("?");
    const std::string end = op.outcome == Outcome::Ok || op.outcome == Outcome::Fail
                                ? seconds(op.completeUs)
                                : std::string(name(op.outcome));
    return fmt::format("c{}#{} {} -> {} [{}, {}]", op.client, op.seq, cmd, result, seconds(op.invokeUs), end);
}

std::string describe(const KeyWitness& w) {
    std::string out = fmt::format("key {}: its {} operations have no linearization; {} of them {}:", w.key,
                                  w.keyOperations, w.witness.ops.size(),
                                  w.witness.minimal ? "already have none (a minimal sub-history)"
                                                    : "already have none (shrinking ran out of budget)");
    for (const Operation& op : w.witness.ops) out += fmt::format(" {};", describe(op));
    if (!out.empty() && out.back() == ';') out.pop_back();
    return out;
}

}  // namespace sim::lin
