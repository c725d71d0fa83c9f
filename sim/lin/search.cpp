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

// Lowe's memo: the states already explored, as 128-bit fingerprints of (linearized
// set, register value, the pending info op's constraint). A state seen again leads
// nowhere new: whatever it could reach was reached the first time. Two fingerprints of
// 64 bits each make a collision (which could prune a state wrongly) about as likely as
// 2^-128 per pair of states, at 16 bytes a state whatever the history's length.
class Memo {
public:
    // Adds the state; false if it was there already.
    bool insert(std::uint64_t a, std::uint64_t b) {
        if (a == 0 && b == 0) a = 1;  // (0, 0) marks an empty slot
        if (2 * (size_ + 1) > slots_.size()) grow();
        std::size_t at = a & (slots_.size() - 1);
        for (; slots_[at].first != 0 || slots_[at].second != 0; at = (at + 1) & (slots_.size() - 1)) {
            if (slots_[at].first == a && slots_[at].second == b) return false;
        }
        slots_[at] = {a, b};
        size_ += 1;
        return true;
    }
    std::uint64_t size() const { return size_; }

private:
    void grow() {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> old(std::max<std::size_t>(1024, slots_.size() * 2));
        old.swap(slots_);
        for (const auto& f : old) {
            if (f.first == 0 && f.second == 0) continue;
            std::size_t at = f.first & (slots_.size() - 1);
            while (slots_[at].first != 0 || slots_[at].second != 0) at = (at + 1) & (slots_.size() - 1);
            slots_[at] = f;
        }
    }

    std::vector<std::pair<std::uint64_t, std::uint64_t>> slots_;
    std::uint64_t size_ = 0;
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
        Value value;    // the register before the op
        Micros limit;   // the candidates' time limit in the state before it (unknown ops)
    };
    std::vector<Frame> stack;
    Memo memo;
    Value value = 0;
    std::uint64_t hashA = 0, hashB = 0;  // of the linearized set
    // The cursor: an entry of the list, or (once past the first return) an unknown op.
    bool inUnknowns = false;
    std::uint32_t e = next[head];
    std::uint32_t u = uhead;
    Micros limit = 0;
    // Tries to linearize op k in the current state; true if it did (a new state).
    auto tryOp = [&](std::uint32_t k) {
        const bool constrained = !stack.empty() && unknown(stack.back().op);
        std::optional<Value> after;
        if (!constrained || dependsOn(ops[k], stack.back().value, value)) after = step(value, ops[k]);
        if (after && unknown(k) && *after == value) after.reset();  // changes nothing: to the end
        if (!after) return false;
        const Value constraint = unknown(k) ? value : kNoConstraint;
        const std::uint64_t a = hashA ^ mix(k), b = hashB ^ mix(k + (std::uint64_t{1} << 40));
        const std::uint64_t state = (std::uint64_t{*after} << 32) | constraint;
        if (!memo.insert(a ^ mix(state ^ 0xC0FFEEull), b ^ mix(state + 0xFACADEull))) return false;
        if (unknown(k)) {
            unlink(unext, uprev, k);
            used[k] = true;
        } else {
            unlink(next, prev, 2 * k);
            unlink(next, prev, 2 * k + 1);
            completedLeft -= 1;
        }
        stack.push_back(Frame{k, value, limit});
        value = *after;
        hashA = a;
        hashB = b;
        return true;
    };
    while (completedLeft > 0) {
        if (out.steps == stepsMax) {
            out.states = memo.size();
            return out;  // Unknown
        }
        ++out.steps;
        if (!inUnknowns) {
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
            continue;
        }
        if (u != utail && ops[u].invokeUs <= limit) {
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
        if (stack.empty()) {
            out.verdict = Verdict::Violated;
            out.states = memo.size();
            return out;
        }
        const Frame f = stack.back();
        stack.pop_back();
        if (unknown(f.op)) {
            relink(unext, uprev, f.op);
            used[f.op] = false;
            inUnknowns = true;
            u = unext[f.op];
            limit = f.limit;
        } else {
            relink(next, prev, 2 * f.op + 1);
            relink(next, prev, 2 * f.op);
            completedLeft += 1;
            inUnknowns = false;
            e = next[2 * f.op];
        }
        hashA ^= mix(f.op);
        hashB ^= mix(f.op + (std::uint64_t{1} << 40));
        value = f.value;
    }
    out.verdict = Verdict::Ok;
    out.states = memo.size();
    return out;
}

}  // namespace sim::lin
