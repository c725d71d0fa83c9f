#include "sim/lin/witness.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "sim/lin/search.hpp"

namespace sim::lin {

namespace {

constexpr Micros kNever = std::numeric_limits<Micros>::max();

// The value an operation may have written (every outcome here may have taken effect).
std::optional<std::uint32_t> written(const Operation& op) {
    if (op.command.op == KvOp::Get) return std::nullopt;
    if (op.command.op == KvOp::Cas && op.outcome == Outcome::Ok && op.result == 0) return std::nullopt;
    return op.command.value & KvCommand::kValueMask;
}

// The value an operation saw in the register, or may have seen: a cas of unknown outcome
// swaps only if it saw its expected value.
std::optional<std::uint32_t> read(const Operation& op) {
    if (op.command.op == KvOp::Cas && (op.outcome != Outcome::Ok || op.result == 1)) {
        return op.command.expected & KvCommand::kValueMask;
    }
    if (op.outcome != Outcome::Ok) return std::nullopt;
    if (op.command.op == KvOp::Get) return static_cast<std::uint32_t>(op.result);
    return std::nullopt;
}

bool failedCas(const Operation& op) {
    return op.outcome == Outcome::Ok && op.command.op == KvOp::Cas && op.result == 0;
}

Micros returnOf(const Operation& op) { return op.outcome == Outcome::Ok ? op.completeUs : kNever; }

// Grows a deletion so that it cannot make what is left fail for a new reason. Deleting
// a write W changes the register only from W to the next write, so what goes with it
// are the ops W may have fed: those that read W's value (or may have: a cas of unknown
// outcome expecting it), and the failed cas whose expected value someone left writes
// (without W they might have seen it and succeeded). W may have fed an op unless W began
// after it completed, or a completed write left certainly falls between them (invoked
// after W completed, completed before the op began). A read also goes with the write of
// its value invoked last before it completed, so that the witness shows where the value
// came from. Reads and failed cas themselves can go freely: deleting them only removes
// constraints.
void close(const std::vector<Operation>& ops, std::vector<bool>& del) {
    // Every write of each value, by invocation: (invoke, index).
    std::map<std::uint32_t, std::vector<std::pair<Micros, std::size_t>>> writersOf;
    for (std::size_t j = 0; j < ops.size(); ++j) {
        if (const auto v = written(ops[j])) writersOf[*v].emplace_back(ops[j].invokeUs, j);
    }
    for (auto& [v, list] : writersOf) std::sort(list.begin(), list.end());
    // The write of `v` invoked last before `op` completed: the one a witness keeps with a
    // read of v, to show where the value came from.
    auto closestWriter = [&](const Operation& op, std::uint32_t v) -> std::optional<std::size_t> {
        const auto it = writersOf.find(v);
        if (it == writersOf.end()) return std::nullopt;
        const auto& list = it->second;
        auto at = std::upper_bound(list.begin(), list.end(),
                                   std::pair<Micros, std::size_t>{returnOf(op), ops.size()});
        if (at == list.begin()) return std::nullopt;
        return std::prev(at)->second;
    };
    for (bool grew = true; grew;) {
        grew = false;
        std::map<std::uint32_t, bool> writtenByRest;  // value -> someone left writes it
        std::vector<std::pair<Micros, Micros>> restWrites;  // completed writes left: (complete, invoke)
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (del[j]) continue;
            if (const auto v = written(ops[j])) {
                writtenByRest[*v] = true;
                if (ops[j].outcome == Outcome::Ok) restWrites.emplace_back(ops[j].completeUs, ops[j].invokeUs);
            }
        }
        writtenByRest[0] = true;  // the initial value
        std::sort(restWrites.begin(), restWrites.end());
        std::vector<Micros> latestInvoke(restWrites.size());  // prefix maximum of the invocations
        for (std::size_t x = 0; x < restWrites.size(); ++x) {
            latestInvoke[x] = std::max(restWrites[x].second, x > 0 ? latestInvoke[x - 1] : restWrites[x].second);
        }
        // The latest invocation of a write left that completed before `t` (or nothing).
        auto forcedBefore = [&](Micros t) -> std::optional<Micros> {
            const auto it = std::lower_bound(restWrites.begin(), restWrites.end(),
                                             std::pair<Micros, Micros>{t, std::numeric_limits<Micros>::min()});
            if (it == restWrites.begin()) return std::nullopt;
            return latestInvoke[static_cast<std::size_t>(it - restWrites.begin()) - 1];
        };
        // Deleted writes: all of them, and by value; each as (invoke, return).
        std::vector<std::pair<Micros, Micros>> deletedWrites;
        std::map<std::uint32_t, std::vector<std::pair<Micros, Micros>>> deletedByValue;
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (!del[j]) continue;
            if (const auto v = written(ops[j])) {
                deletedWrites.emplace_back(ops[j].invokeUs, returnOf(ops[j]));
                deletedByValue[*v].emplace_back(ops[j].invokeUs, returnOf(ops[j]));
            }
        }
        if (deletedWrites.empty()) return;
        // Whether one of `writes` may have come last before `op`.
        auto mayFeed = [&](const Operation& op, const std::vector<std::pair<Micros, Micros>>& writes) {
            const std::optional<Micros> forced = forcedBefore(op.invokeUs);
            for (const auto& [invoke, ret] : writes) {
                if (invoke > returnOf(op)) continue;       // began after the op completed
                if (forced && *forced > ret) continue;     // a write left certainly falls between
                return true;
            }
            return false;
        };
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (del[j]) continue;
            const Operation& op = ops[j];
            bool goes = false;
            if (const auto v = read(op)) {
                const auto it = deletedByValue.find(*v);
                goes = it != deletedByValue.end() && mayFeed(op, it->second);
                const auto closest = closestWriter(op, *v);
                goes = goes || (*v != 0 && closest && del[*closest]);
            }
            if (!goes && failedCas(op) && writtenByRest.count(op.command.expected & KvCommand::kValueMask) > 0) {
                goes = mayFeed(op, deletedWrites);
            }
            if (goes) {
                del[j] = true;
                grew = true;
            }
        }
    }
}

}  // namespace

Witness shrinkWitness(std::vector<Operation> ops, std::uint64_t stepsPerSearch, std::uint64_t stepsMax) {
    std::stable_sort(ops.begin(), ops.end(),
                     [](const Operation& a, const Operation& b) { return a.invokeUs < b.invokeUs; });
    Witness w;
    // Tries deleting ops[from, to) and what must go with it; keeps the deletion if what
    // is left still fails.
    auto tryDelete = [&](std::size_t from, std::size_t to) {
        std::vector<bool> del(ops.size(), false);
        std::fill(del.begin() + static_cast<std::ptrdiff_t>(from), del.begin() + static_cast<std::ptrdiff_t>(to), true);
        close(ops, del);
        std::vector<Operation> rest;
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (!del[j]) rest.push_back(ops[j]);
        }
        if (rest.empty()) return false;
        const SearchResult r = search(rest, std::min(stepsPerSearch, stepsMax - w.steps));
        w.steps += r.steps;
        if (r.verdict != Verdict::Violated) return false;
        ops = std::move(rest);
        return true;
    };
    auto spent = [&] { return w.steps >= stepsMax; };
    for (std::size_t chunk = ops.size() / 2; chunk >= 1 && !spent(); chunk /= 2) {
        for (std::size_t from = 0; from + chunk <= ops.size() && !spent();) {
            if (!tryDelete(from, from + chunk)) from += chunk;
        }
    }
    // Single deletions until a whole pass deletes nothing.
    for (bool deleted = true; deleted && !spent();) {
        deleted = false;
        for (std::size_t i = 0; i < ops.size() && !spent();) {
            if (tryDelete(i, i + 1)) {
                deleted = true;
            } else {
                ++i;
            }
        }
    }
    w.minimal = !spent();
    w.ops = std::move(ops);
    return w;
}

}  // namespace sim::lin
