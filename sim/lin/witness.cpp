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
// a write W changes the register only from W to the next write: the ops that read W's
// value (or may have: a cas of unknown outcome expecting it) go too (a read would otherwise look stale, or of a value never written), and so
// do the failed cas that might have seen W's value rather than the one before it (one
// whose expected value someone left writes, unless a completed write certainly falls
// between W and it). Reads and failed cas themselves can go freely: deleting them only
// removes constraints.
void close(const std::vector<Operation>& ops, std::vector<bool>& del) {
    for (bool grew = true; grew;) {
        grew = false;
        std::map<std::uint32_t, bool> writtenByRest;  // value -> someone left writes it
        // Completed writes left, by completion: a failed cas invoked after one's completion
        // is shadowed from any write completed before that one's invocation.
        std::vector<std::pair<Micros, Micros>> restWrites;  // (complete, invoke)
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
        // The latest invocation of a write completed before `t`, if any.
        auto forcedBefore = [&](Micros t) -> std::optional<Micros> {
            const auto it = std::lower_bound(restWrites.begin(), restWrites.end(), std::pair<Micros, Micros>{t, std::numeric_limits<Micros>::min()});
            if (it == restWrites.begin()) return std::nullopt;
            return latestInvoke[static_cast<std::size_t>(it - restWrites.begin()) - 1];
        };
        std::map<std::uint32_t, bool> writtenByDeleted;
        Micros earliestDeletedWrite = kNever;
        std::vector<Micros> deletedWriteReturns;
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (!del[j]) continue;
            if (const auto v = written(ops[j])) {
                writtenByDeleted[*v] = true;
                earliestDeletedWrite = std::min(earliestDeletedWrite, ops[j].invokeUs);
                deletedWriteReturns.push_back(returnOf(ops[j]));
            }
        }
        if (writtenByDeleted.empty()) return;
        const Micros latestDeletedReturn = *std::max_element(deletedWriteReturns.begin(), deletedWriteReturns.end());
        for (std::size_t j = 0; j < ops.size(); ++j) {
            if (del[j]) continue;
            const Operation& op = ops[j];
            bool goes = false;
            if (const auto v = read(op)) goes = writtenByDeleted.count(*v) > 0;
            if (!goes && failedCas(op) && writtenByRest.count(op.command.expected & KvCommand::kValueMask) > 0 &&
                earliestDeletedWrite <= op.completeUs) {
                // Shadowed when a write left certainly comes after every deleted write
                // and before this cas.
                const auto forced = forcedBefore(op.invokeUs);
                goes = !forced || *forced <= latestDeletedReturn;
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
