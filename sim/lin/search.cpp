#include "sim/lin/search.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <vector>

#include "core/assert.hpp"
#include "sim/lin/kv_model.hpp"

namespace sim::lin {

namespace {

constexpr Micros kNever = std::numeric_limits<Micros>::max();

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Lowe's memo: the states already explored. A state is the completed operations
// linearized, the register's value and the pending unknown op's constraint (together a
// 128-bit fingerprint: a collision, which could prune a state wrongly, is about as
// likely as 2^-128 per pair of states), plus the unknown-outcome operations used. A
// state seen again leads nowhere new. And a state that differs from a finished one
// (explored to the end without success) only by having used more unknown operations
// cannot succeed either: what it could still do, the finished one could have done
// too, with those operations placed at the end instead.
class Memo {
public:
    static constexpr std::uint32_t kPruned = 0xFFFF'FFFFu;
    static constexpr int kChainScan = 16;

    // Adds the state; its id, or kPruned if it was there already or is dominated.
    std::uint32_t insert(std::uint64_t a, std::uint64_t b, const std::vector<std::uint32_t>& used) {
        if (a == 0 && b == 0) a = 1;  // slot 0 marks an empty slot
        if (2 * (keys_ + 1) > slots_.size()) grow();
        std::size_t at = a & (slots_.size() - 1);
        for (; slots_[at] != 0; at = (at + 1) & (slots_.size() - 1)) {
            const Record& r = records_[slots_[at] - 1];
            if (r.a == a && r.b == b) break;
        }
        const std::uint32_t chain = slots_[at];
        // The newest records of the fingerprint only: missing a match explores a state
        // again (slower, never wrong), and a long chain would cost more than it saves.
        int scanned = 0;
        for (std::uint32_t i = chain; i != 0 && scanned < kChainScan; i = records_[i - 1].next, ++scanned) {
            const Record& r = records_[i - 1];
            const auto first = pool_.begin() + static_cast<std::ptrdiff_t>(r.offset);
            const auto last = first + static_cast<std::ptrdiff_t>(r.length);
            if (r.length == used.size() && std::equal(first, last, used.begin())) return kPruned;
            if (r.done && r.length < used.size() && std::includes(used.begin(), used.end(), first, last)) {
                return kPruned;
            }
        }
        records_.push_back(Record{a, b, chain, static_cast<std::uint32_t>(pool_.size()),
                                  static_cast<std::uint32_t>(used.size()), false});
        pool_.insert(pool_.end(), used.begin(), used.end());
        if (chain == 0) keys_ += 1;
        slots_[at] = static_cast<std::uint32_t>(records_.size());
        return static_cast<std::uint32_t>(records_.size() - 1);
    }
    // The state was explored to the end without success.
    void finish(std::uint32_t id) { records_[id].done = true; }
    std::uint64_t size() const { return records_.size(); }

private:
    struct Record {
        std::uint64_t a, b;
        std::uint32_t next;    // the previous record of the same fingerprint, + 1 (0: none)
        std::uint32_t offset;  // of the unknown ops used, sorted, in pool_
        std::uint32_t length;
        bool done;
    };
    void grow() {
        slots_.assign(std::max<std::size_t>(1024, slots_.size() * 2), 0);
        // Re-insert each fingerprint's newest record (the chain hangs off it).
        std::vector<bool> seen(records_.size(), false);
        for (std::size_t i = records_.size(); i-- > 0;) {
            if (seen[i]) continue;
            for (std::uint32_t j = static_cast<std::uint32_t>(i) + 1; j != 0; j = records_[j - 1].next) seen[j - 1] = true;
            std::size_t at = records_[i].a & (slots_.size() - 1);
            while (slots_[at] != 0) at = (at + 1) & (slots_.size() - 1);
            slots_[at] = static_cast<std::uint32_t>(i + 1);
        }
    }

    std::vector<Record> records_;
    std::vector<std::uint32_t> pool_;
    std::vector<std::uint32_t> slots_;  // open addressing: newest record of a fingerprint + 1
    std::uint64_t keys_ = 0;            // distinct fingerprints
};

constexpr Value kNoConstraint = 0xFFFF'FFFFu;  // values fit in 24 bits

// Whether `op`, right after an operation of unknown outcome turned the register from
// `from` into `to` (from != to), behaves otherwise than it would have without it.
bool dependsOn(const Operation& op, Value from, Value to) {
    switch (op.command.op) {
        case KvOp::Put: return false;
        case KvOp::Get: return true;  // an Ok get must then read `to`, which `step` checks
        case KvOp::Cas: {
            const Value expected = op.command.expected & KvCommand::kValueMask;
            return expected == from || expected == to;
        }
        case KvOp::Register: return false;  // never in a history
    }
    return false;
}

}  // namespace

SearchResult search(std::span<const Operation> input, std::uint64_t stepsMax) {
    SearchResult out;
    const auto n = static_cast<std::uint32_t>(input.size());
    RAFT_ASSERT(input.size() < (std::size_t{1} << 30), "{} operations", input.size());
    // Operations in invocation order (ties in input order): op k has bit k.
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return input[a].invokeUs < input[b].invokeUs;
    });
    std::vector<Operation> ops(n);
    std::vector<Micros> returnUs(n);
    for (std::uint32_t k = 0; k < n; ++k) {
        ops[k] = input[order[k]];
        RAFT_ASSERT(ops[k].outcome != Outcome::Fail, "a failed operation (client {} seq {}) is not searched",
                    ops[k].client, ops[k].seq);
        returnUs[k] = ops[k].outcome == Outcome::Ok ? std::max(ops[k].completeUs, ops[k].invokeUs) : kNever;
    }
    auto unknown = [&](std::uint32_t k) { return ops[k].outcome != Outcome::Ok; };
    // The completed operations as a list of call and return entries in time order; at
    // equal times calls come first, so touching operations overlap (the permissive
    // reading). Entry 2k is op k's call, 2k+1 its return; head and tail are sentinels.
    // The operations of unknown outcome, which never return, are a list of their own in
    // invocation order: the search tries them after the completed ones (see below).
    const std::uint32_t head = 2 * n, tail = 2 * n + 1;
    std::vector<std::uint32_t> entries;
    std::vector<std::uint32_t> unknowns;
    for (std::uint32_t k = 0; k < n; ++k) {
        if (unknown(k)) {
            unknowns.push_back(k);
        } else {
            entries.push_back(2 * k);
            entries.push_back(2 * k + 1);
        }
    }
    auto timeOf = [&](std::uint32_t e) { return (e & 1u) != 0 ? returnUs[e / 2] : ops[e / 2].invokeUs; };
    std::stable_sort(entries.begin(), entries.end(), [&](std::uint32_t a, std::uint32_t b) {
        const Micros ta = timeOf(a), tb = timeOf(b);
        if (ta != tb) return ta < tb;
        if ((a & 1u) != (b & 1u)) return (a & 1u) == 0;  // calls first
        return a < b;
    });
    // Doubly linked lists (dancing links: what is taken out is put back in the reverse
    // order). next/prev over entries; unext/uprev over unknown ops, sentinels n and n+1.
    std::vector<std::uint32_t> next(2 * std::size_t{n} + 2), prev(2 * std::size_t{n} + 2);
    std::vector<std::uint32_t> unext(std::size_t{n} + 2), uprev(std::size_t{n} + 2);
    auto chain = [](std::vector<std::uint32_t>& fwd, std::vector<std::uint32_t>& back,
                    const std::vector<std::uint32_t>& items, std::uint32_t first, std::uint32_t end) {
        std::uint32_t last = first;
        for (const std::uint32_t x : items) {
            fwd[last] = x;
            back[x] = last;
            last = x;
        }
        fwd[last] = end;
        back[end] = last;
    };
    chain(next, prev, entries, head, tail);
    const std::uint32_t uhead = n, utail = n + 1;
    chain(unext, uprev, unknowns, uhead, utail);
    // Unknown operations with the same command are interchangeable once both are
    // invoked (neither ever returns): of those open, only the earliest unused one is
    // tried. sameBefore[k]: the previous unknown op with k's command, or n.
    std::vector<std::uint32_t> sameBefore(n, n);
    {
        std::map<std::uint64_t, std::uint32_t> lastOf;
        for (const std::uint32_t k : unknowns) {
            const auto [it, fresh] = lastOf.try_emplace(ops[k].command.encode(), k);
            if (!fresh) {
                sameBefore[k] = it->second;
                it->second = k;
            }
        }
    }
    std::vector<bool> used(n, false);
    // The values an unknown cas expects: a write of one may feed a chain of unknown ops.
    std::vector<Value> unknownCasExpects;
    for (const std::uint32_t k : unknowns) {
        if (ops[k].command.op == KvOp::Cas) unknownCasExpects.push_back(ops[k].command.expected & KvCommand::kValueMask);
    }
    std::sort(unknownCasExpects.begin(), unknownCasExpects.end());
    auto casExpects = [&](Value v) { return std::binary_search(unknownCasExpects.begin(), unknownCasExpects.end(), v); };
    auto unlink = [](std::vector<std::uint32_t>& fwd, std::vector<std::uint32_t>& back, std::uint32_t x) {
        fwd[back[x]] = fwd[x];
        back[fwd[x]] = back[x];
    };
    auto relink = [](std::vector<std::uint32_t>& fwd, std::vector<std::uint32_t>& back, std::uint32_t x) {
        fwd[back[x]] = x;
        back[fwd[x]] = x;
    };

    // Operations of unknown outcome (info, pending) are placed in a normal form: any
    // linearization can be rearranged so that each of them either comes after every
    // completed operation (where it changes nothing anyone saw, as if it never took
    // effect) or changes the register and is followed at once by an operation that
    // behaves otherwise because of it. (One followed by an op it does not affect can
    // swap with it: moving later is always allowed, as it never returns; one followed
    // by a put can go to the end, the put hides it.) So the search is done when every
    // completed operation is linearized, and places an unknown one only where it
    // matters: that keeps a failing search from trying each unknown operation at
    // every point after its invocation.
    //
    // The candidates in a state are the calls before the first return in the list
    // (Porcupine's walk), then the unknown operations invoked by that return's time:
    // walking past open unknown operations costs only where the completed ones are stuck.
    std::uint32_t completedLeft = static_cast<std::uint32_t>(entries.size() / 2);
    struct Frame {
        std::uint32_t op;
        Value value;         // the register before the op
        Micros limit;        // the candidates' time limit in the state before it (unknown ops)
        std::uint32_t memo;  // the memo's id of the state after it
    };
    std::vector<Frame> stack;
    Memo memo;
    Value value = 0;
    std::uint64_t hashA = 0, hashB = 0;    // of the completed operations linearized
    std::vector<std::uint32_t> usedSorted;  // the unknown operations linearized
    // The cursor: an entry of the list, or (once past the first return) an unknown op.
    bool inUnknowns = false;
    std::uint32_t e = next[head];
    std::uint32_t u = uhead;
    Micros limit = 0;
    // What the completed candidates of the current state read: an unknown op is placed
    // only if it writes one of these values (or one an unknown cas expects), or if a
    // candidate cas expects the register's current value (any change makes it fail).
    std::vector<Value> wanted;
    bool anyChangeWanted = false;
    auto computeWanted = [&] {
        wanted.clear();
        anyChangeWanted = casExpects(value);
        for (std::uint32_t c = next[head]; c != tail && (c & 1u) == 0; c = next[c]) {
            const Operation& op = ops[c / 2];
            if (op.command.op == KvOp::Get) wanted.push_back(static_cast<Value>(op.result));
            if (op.command.op == KvOp::Cas) {
                const Value expected = op.command.expected & KvCommand::kValueMask;
                wanted.push_back(expected);
                anyChangeWanted = anyChangeWanted || expected == value;
            }
        }
    };
    // Tries to linearize op k in the current state; true if it did (a new state).
    auto tryOp = [&](std::uint32_t k) {
        const bool constrained = !stack.empty() && unknown(stack.back().op);
        std::optional<Value> after;
        if (!constrained || dependsOn(ops[k], stack.back().value, value)) after = step(value, ops[k]);
        if (after && unknown(k) && *after == value) after.reset();  // changes nothing: to the end
        if (after && unknown(k) && !anyChangeWanted && !casExpects(*after) &&
            std::find(wanted.begin(), wanted.end(), *after) == wanted.end()) {
            after.reset();  // nothing that could come next reads what it writes
        }
        if (!after) return false;
        // Only now does a try cost what the budget counts: candidates turned away by the
        // tests above (a few comparisons each) are not steps, so many open unknown
        // operations do not eat the budget of the states that matter.
        if (unknown(k)) ++out.steps;
        const Value constraint = unknown(k) ? value : kNoConstraint;
        const bool completed = !unknown(k);
        const std::uint64_t a = completed ? hashA ^ mix(k) : hashA;
        const std::uint64_t b = completed ? hashB ^ mix(k + (std::uint64_t{1} << 40)) : hashB;
        const std::uint64_t state = (std::uint64_t{*after} << 32) | constraint;
        if (!completed) usedSorted.insert(std::upper_bound(usedSorted.begin(), usedSorted.end(), k), k);
        const std::uint32_t id = memo.insert(a ^ mix(state ^ 0xC0FFEEull), b ^ mix(state + 0xFACADEull), usedSorted);
        if (id == Memo::kPruned) {
            if (!completed) usedSorted.erase(std::lower_bound(usedSorted.begin(), usedSorted.end(), k));
            return false;
        }
        if (unknown(k)) {
            unlink(unext, uprev, k);
            used[k] = true;
        } else {
            unlink(next, prev, 2 * k);
            unlink(next, prev, 2 * k + 1);
            completedLeft -= 1;
        }
        stack.push_back(Frame{k, value, limit, id});
        value = *after;
        hashA = a;
        hashB = b;
        return true;
    };
    std::uint64_t visits = 0;  // unknown candidates looked at
    while (completedLeft > 0) {
        if (out.steps == stepsMax) {
            out.states = memo.size();
            return out;  // Unknown
        }
        if (!inUnknowns) {
            ++out.steps;
            RAFT_ASSERT(e != tail, "the search walked off the list");
            if ((e & 1u) == 0) {
                // A call: try to linearize its op here, with the register as it stands.
                if (tryOp(e / 2)) {
                    e = next[head];
                } else {
                    e = next[e];
                }
                continue;
            }
            // The first return: what may still come first are the unknown ops invoked by now.
            inUnknowns = true;
            limit = returnUs[e / 2];
            u = unext[uhead];
            computeWanted();
            continue;
        }
        if (u != utail && ops[u].invokeUs <= limit) {
            // A visit costs a step only when it gets as far as the memo (in tryOp), but
            // the visits are bounded too: 32 a step.
            if (++visits > 32 * stepsMax) {
                out.states = memo.size();
                return out;  // Unknown
            }
            if ((sameBefore[u] == n || used[sameBefore[u]]) && tryOp(u)) {
                inUnknowns = false;
                e = next[head];
            } else {
                u = unext[u];
            }
            continue;
        }
        // No candidate is left: every order tried from here fails, so undo the last
        // linearized operation and try the candidate after it.
        ++out.steps;
        if (stack.empty()) {
            out.verdict = Verdict::Violated;
            out.states = memo.size();
            return out;
        }
        const Frame f = stack.back();
        stack.pop_back();
        memo.finish(f.memo);
        if (unknown(f.op)) {
            relink(unext, uprev, f.op);
            used[f.op] = false;
            usedSorted.erase(std::lower_bound(usedSorted.begin(), usedSorted.end(), f.op));
            inUnknowns = true;
            u = unext[f.op];
            limit = f.limit;
        } else {
            relink(next, prev, 2 * f.op + 1);
            relink(next, prev, 2 * f.op);
            completedLeft += 1;
            inUnknowns = false;
            e = next[2 * f.op];
            hashA ^= mix(f.op);
            hashB ^= mix(f.op + (std::uint64_t{1} << 40));
        }
        value = f.value;
        if (inUnknowns) computeWanted();
    }
    out.verdict = Verdict::Ok;
    out.states = memo.size();
    return out;
}

}  // namespace sim::lin
