#include "sim/lin/search.hpp"

#include <algorithm>
#include <limits>
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

// The set of linearized operations, numbered in invocation order. Operations below
// `lo` (the first one not linearized) are all in it and none from `hi` (one past the
// last linearized) on, so the words between them identify it: typical histories keep
// that window a word or two wide however long they are.
struct Window {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
};

// Lowe's memo: the (linearized set, register value) pairs already explored. A pair
// seen again leads nowhere new: whatever it could reach was reached the first time.
class Memo {
public:
    // Adds the pair; false if it was there already.
    bool insert(std::uint64_t hash, Window w, Value value, const std::vector<std::uint64_t>& bits) {
        if (2 * (records_.size() + 1) > slots_.size()) grow();
        const std::uint32_t firstWord = w.lo / 64;
        const std::uint32_t words = w.hi > w.lo ? (w.hi - 1) / 64 + 1 - firstWord : 0;
        std::size_t at = hash & (slots_.size() - 1);
        for (; slots_[at] != 0; at = (at + 1) & (slots_.size() - 1)) {
            const Record& r = records_[slots_[at] - 1];
            if (r.hash == hash && r.lo == w.lo && r.hi == w.hi && r.value == value &&
                std::equal(bits.begin() + firstWord, bits.begin() + firstWord + words,
                           pool_.begin() + static_cast<std::ptrdiff_t>(r.offset))) {
                return false;
            }
        }
        records_.push_back(Record{hash, pool_.size(), w.lo, w.hi, value});
        pool_.insert(pool_.end(), bits.begin() + firstWord, bits.begin() + firstWord + words);
        slots_[at] = static_cast<std::uint32_t>(records_.size());
        return true;
    }
    std::uint64_t size() const { return records_.size(); }

private:
    struct Record {
        std::uint64_t hash;
        std::size_t offset;  // into pool_
        std::uint32_t lo, hi;
        Value value;
    };
    void grow() {
        slots_.assign(std::max<std::size_t>(1024, slots_.size() * 2), 0);
        for (std::size_t i = 0; i < records_.size(); ++i) {
            std::size_t at = records_[i].hash & (slots_.size() - 1);
            while (slots_[at] != 0) at = (at + 1) & (slots_.size() - 1);
            slots_[at] = static_cast<std::uint32_t>(i + 1);
        }
    }

    std::vector<Record> records_;
    std::vector<std::uint64_t> pool_;
    std::vector<std::uint32_t> slots_;  // open addressing: record index + 1, 0 empty
};

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
    // The history as a list of call and return entries in time order; at equal times
    // calls come first, so touching operations overlap (the permissive reading). Entry
    // 2k is op k's call, 2k+1 its return; head and tail are sentinels.
    const std::uint32_t head = 2 * n, tail = 2 * n + 1;
    std::vector<std::uint32_t> entries(2 * static_cast<std::size_t>(n));
    std::iota(entries.begin(), entries.end(), 0u);
    auto timeOf = [&](std::uint32_t e) { return (e & 1u) != 0 ? returnUs[e / 2] : ops[e / 2].invokeUs; };
    std::stable_sort(entries.begin(), entries.end(), [&](std::uint32_t a, std::uint32_t b) {
        const Micros ta = timeOf(a), tb = timeOf(b);
        if (ta != tb) return ta < tb;
        if ((a & 1u) != (b & 1u)) return (a & 1u) == 0;  // calls first
        return a < b;
    });
    std::vector<std::uint32_t> next(2 * std::size_t{n} + 2), prev(2 * std::size_t{n} + 2);
    std::uint32_t last = head;
    for (const std::uint32_t e : entries) {
        next[last] = e;
        prev[e] = last;
        last = e;
    }
    next[last] = tail;
    prev[tail] = last;
    // Linearizing op k takes its call and return out of the list; undoing puts them back
    // (dancing links: undone in the reverse order of the doing).
    auto unlink = [&](std::uint32_t e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];
    };
    auto relink = [&](std::uint32_t e) {
        next[prev[e]] = e;
        prev[next[e]] = e;
    };

    std::vector<std::uint64_t> bits((n + 63) / 64, 0);
    struct Frame {
        std::uint32_t op;
        Value value;   // the register before the op
        std::uint32_t hi;
    };
    std::vector<Frame> stack;
    Memo memo;
    Value value = 0;
    std::uint64_t hash = 0;
    std::uint32_t hi = 0;
    std::uint32_t e = next[head];
    while (next[head] != tail) {
        if (out.steps == stepsMax) {
            out.states = memo.size();
            return out;  // Unknown
        }
        ++out.steps;
        RAFT_ASSERT(e != tail, "the search walked off the list");
        const std::uint32_t k = e / 2;
        if ((e & 1u) == 0) {
            // A call: try to linearize op k here, with the register as it stands.
            if (const std::optional<Value> after = step(value, ops[k])) {
                bits[k / 64] |= std::uint64_t{1} << (k % 64);
                const std::uint64_t h = hash ^ mix(k);
                unlink(e);
                unlink(2 * k + 1);
                const std::uint32_t first = next[head];
                const Window win{first == tail ? n : first / 2, std::max(hi, k + 1)};
                if (memo.insert(h ^ mix(0xC0FFEEull + *after), win, *after, bits)) {
                    stack.push_back(Frame{k, value, hi});
                    value = *after;
                    hash = h;
                    hi = win.hi;
                    e = next[head];
                    continue;
                }
                relink(2 * k + 1);
                relink(e);
                bits[k / 64] &= ~(std::uint64_t{1} << (k % 64));
            }
            e = next[e];
            continue;
        }
        // The return of an operation not yet linearized: every order tried from here
        // fails, so undo the last linearized operation and try the next call after it.
        if (stack.empty()) {
            out.verdict = Verdict::Violated;
            out.states = memo.size();
            return out;
        }
        const Frame f = stack.back();
        stack.pop_back();
        relink(2 * f.op + 1);
        relink(2 * f.op);
        bits[f.op / 64] &= ~(std::uint64_t{1} << (f.op % 64));
        hash ^= mix(f.op);
        value = f.value;
        hi = f.hi;
        e = next[2 * f.op];
    }
    out.verdict = Verdict::Ok;
    out.states = memo.size();
    return out;
}

}  // namespace sim::lin
