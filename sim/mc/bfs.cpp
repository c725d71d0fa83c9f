// Breadth-first search by levels. Each level's frontier is a list of blocks of packed
// states; J threads take blocks, expand them, and insert successors into the shared
// table. A level ends at a barrier where the table may grow and the states that found
// it full are inserted, so the set of states reached is the same for any J. Every
// state added is linked to its parent in the trail (sim/mc/trail.hpp).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "sim/property.hpp"

#include "sim/mc/search_common.hpp"
#include "sim/mc/trail.hpp"

namespace mc {

namespace {

using Block = std::vector<std::uint8_t>;  // entries: fp (8 bytes), then the packed state
constexpr std::size_t kBlockBytes = 1 << 17;

void putFp(Block& b, std::uint64_t fp) {
    for (int k = 0; k < 8; ++k) b.push_back(static_cast<std::uint8_t>(fp >> (8 * k)));
}

std::uint64_t takeFp(const Block& b, std::size_t& pos) {
    std::uint64_t fp = 0;
    for (int k = 0; k < 8; ++k) fp |= std::uint64_t{b[pos + k]} << (8 * k);
    pos += 8;
    return fp;
}

// What one thread produced in one level.
struct Output {
    std::vector<Block> next;     // states added to the table
    std::vector<Block> pending;  // the parent's fp, then a state that found the table full
    std::uint64_t pendingCount = 0;
    std::uint64_t transitions = 0;
    Observed seen;

    // Blocks hold most of the search's memory: each is stored tight, and the next one
    // starts with room enough that it does not double past kBlockBytes.
    void flush(Block& b, std::vector<Block>& to) {
        if (!b.empty()) {
            b.shrink_to_fit();
            to.push_back(std::move(b));
        }
        b = Block{};
        b.reserve(kBlockBytes + kBlockBytes / 8);
    }
};

class Bfs {
public:
    Bfs(Model& model, FpTable& table, const SearchOptions& options)
        : model_(model), table_(table), options_(options) {}

    std::uint64_t trailBytes() const { return trail_.bytes(); }

    SearchResult run();

private:
    void worker(int id, Output& out);
    // One expansion's successors (each thread has its own): states and fingerprints.
    struct Successors {
        std::vector<Event> events;
        std::vector<State> states;
        std::vector<std::uint64_t> fps;
        std::size_t count = 0;
    };

    void expand(const Block& block, Output& out, Block& next, Block& pending, Trail::Writer& links, int id);
    void successors(const State& s, std::uint64_t fp, Output& out, Successors& succ);
    void report(std::uint64_t parentFp, const Event& e, const McViolation& v);
    std::vector<Block> finishLevel(std::vector<Output>& outputs, SearchResult& result);
    void growForNextLevel(std::uint64_t pendingCount);

    Model& model_;
    FpTable& table_;
    const SearchOptions& options_;
    Trail trail_;
    std::vector<Block> frontier_;
    std::atomic<std::size_t> nextBlock_{0};
    std::atomic<bool> stop_{false};      // --max-states reached: stop now
    std::atomic<bool> violated_{false};  // a violation in this level: finish it, add nothing
    std::mutex foundMu_;
    std::optional<Found> found_;
    std::uint64_t transitionsBefore_ = 0;
    int depth_ = 0;
    std::uint64_t levelStart_ = 0;  // table size when the level began
    std::uint64_t lastAdded_ = 0;   // states the previous level added
};

// Of the violations at the shallowest depth, the search reports the same one whatever
// the threads do: the level is finished and the least by (property rank, parent's
// fingerprint) wins. Both are independent of node numbering and of thread timing.
void Bfs::report(std::uint64_t parentFp, const Event& e, const McViolation& v) {
    std::lock_guard<std::mutex> lock(foundMu_);
    auto key = [](const Found& f) { return std::pair(sim::propertyRank(f.violation.property), f.parentFp); };
    const Found candidate{parentFp, e, v};
    if (!found_ || key(candidate) < key(*found_)) found_ = candidate;
    violated_.store(true, std::memory_order_relaxed);
}

// Steps `s` (fingerprint `fp`) by each enabled event into `succ`, prefetching each
// successor's table slot so the inserts that follow do not wait on memory. A step that
// breaks a property is reported, not kept.
void Bfs::successors(const State& s, std::uint64_t fp, Output& out, Successors& succ) {
    model_.enabled(s, succ.events);
    if (succ.states.size() < succ.events.size()) {
        succ.states.resize(succ.events.size());
        succ.fps.resize(succ.events.size());
    }
    succ.count = 0;
    for (const Event& e : succ.events) {
        State& next = succ.states[succ.count];
        const StepResult r = model_.step(s, e, next);
        if (!r.inBounds) continue;
        ++out.transitions;
        if (r.violation) {
            report(fp, e, *r.violation);
            continue;
        }
        out.seen.leaderElected |= r.seen.leaderElected;
        out.seen.entryCommitted |= r.seen.entryCommitted;
        succ.fps[succ.count] = model_.fingerprint(next);
        table_.prefetch(succ.fps[succ.count]);
        ++succ.count;
    }
}

void Bfs::expand(const Block& block, Output& out, Block& next, Block& pending, Trail::Writer& links, int id) {
    State s;
    Successors succ;
    std::size_t pos = 0;
    std::uint64_t expanded = 0;
    while (pos < block.size() && !stop_.load(std::memory_order_relaxed)) {
        const std::uint64_t fp = takeFp(block, pos);
        model_.codec().decode(block.data(), pos, s);
        successors(s, fp, out, succ);
        if (violated_.load(std::memory_order_relaxed)) continue;  // no next level
        for (std::size_t k = 0; k < succ.count; ++k) {
            const std::uint64_t sfp = succ.fps[k];
            const FpTable::Outcome outcome = table_.insert(sfp);
            if (outcome == FpTable::Outcome::Added) {
                links.add(sfp, fp);
                putFp(next, sfp);
                model_.codec().encode(succ.states[k], next);
                if (next.size() >= kBlockBytes) out.flush(next, out.next);
            } else if (outcome == FpTable::Outcome::Full) {
                putFp(pending, fp);
                model_.codec().encode(succ.states[k], pending);
                ++out.pendingCount;
                if (pending.size() >= kBlockBytes) out.flush(pending, out.pending);
            }
        }
        if ((options_.maxStates != 0 && table_.size() >= options_.maxStates) || options_.interrupted()) {
            stop_.store(true);
        }
        if (id == 0 && options_.progress && (++expanded & 1023) == 0) {
            options_.progress(table_.size(), transitionsBefore_ + out.transitions, depth_);
        }
    }
}

void Bfs::worker(int id, Output& out) {
    Block next;
    Block pending;
    Trail::Writer links(trail_);
    next.reserve(kBlockBytes + kBlockBytes / 8);
    pending.reserve(kBlockBytes + kBlockBytes / 8);
    for (;;) {
        const std::size_t k = nextBlock_.fetch_add(1, std::memory_order_relaxed);
        if (k >= frontier_.size() || stop_.load(std::memory_order_relaxed)) break;
        expand(frontier_[k], out, next, pending, links, id);
        Block().swap(frontier_[k]);  // expanded: its memory can go now
    }
    out.flush(next, out.next);
    out.flush(pending, out.pending);
    links.flush();
}

// The barrier: gathers the next frontier, grows the table if it is getting full, and
// inserts the states that found it full.
std::vector<Block> Bfs::finishLevel(std::vector<Output>& outputs, SearchResult& result) {
    std::vector<Block> next;
    std::uint64_t pendingCount = 0;
    for (Output& out : outputs) {
        for (Block& b : out.next) next.push_back(std::move(b));
        pendingCount += out.pendingCount;
        result.transitions += out.transitions;
        result.sawLeader |= out.seen.leaderElected;
        result.sawCommit |= out.seen.entryCommitted;
    }
    growForNextLevel(pendingCount);
    State s;
    Block added;
    Trail::Writer links(trail_);
    for (Output& out : outputs) {
        for (const Block& b : out.pending) {
            std::size_t pos = 0;
            while (pos < b.size()) {
                const std::uint64_t parentFp = takeFp(b, pos);
                const std::size_t start = pos;
                model_.codec().decode(b.data(), pos, s);
                const std::uint64_t fp = model_.fingerprint(s);
                if (table_.insert(fp) != FpTable::Outcome::Added) continue;
                links.add(fp, parentFp);
                putFp(added, fp);
                added.insert(added.end(), b.begin() + static_cast<std::ptrdiff_t>(start),
                             b.begin() + static_cast<std::ptrdiff_t>(pos));
            }
        }
    }
    links.flush();
    trail_.endLevel();
    if (!added.empty()) next.push_back(std::move(added));
    return next;
}

// Grows the table, if need be, to hold the states that found it full and the next
// level too, predicted from how the last two levels grew: a table that fills up within
// a level probes long clusters, and the states past its limit wait for the barrier.
void Bfs::growForNextLevel(std::uint64_t pendingCount) {
    const std::uint64_t added = table_.size() - levelStart_ + pendingCount;
    const double ratio = lastAdded_ == 0 ? 2.0 : static_cast<double>(added) / static_cast<double>(lastAdded_);
    const auto predicted = static_cast<std::uint64_t>(static_cast<double>(added) * std::clamp(ratio, 0.25, 4.0));
    lastAdded_ = added;
    const std::uint64_t wanted = table_.size() + pendingCount + predicted;
    if (static_cast<double>(wanted) > kGrowAt * static_cast<double>(table_.capacity())) {
        table_.grow(capacityFor(wanted));
    }
}

SearchResult Bfs::run() {
    SearchResult result;
    const State init = model_.initial();
    table_.insert(model_.fingerprint(init));
    Block first;
    putFp(first, model_.fingerprint(init));
    model_.codec().encode(init, first);
    frontier_.push_back(std::move(first));
    const int jobs = std::max(1, options_.jobs);
    while (!frontier_.empty() && !stop_.load() && !found_) {
        nextBlock_.store(0);
        std::vector<Output> outputs(static_cast<std::size_t>(jobs));
        std::vector<std::thread> threads;
        for (int t = 1; t < jobs; ++t) threads.emplace_back([&, t] { worker(t, outputs[t]); });
        worker(0, outputs[0]);
        for (std::thread& th : threads) th.join();
        std::vector<Block> next = finishLevel(outputs, result);
        levelStart_ = table_.size();
        transitionsBefore_ = result.transitions;
        frontier_ = std::move(next);
        if (!frontier_.empty() && !stop_.load() && !found_) depth_ += 1;
        if (options_.progress) options_.progress(table_.size(), result.transitions, depth_);
    }
    result.depth = depth_;
    result.complete = frontier_.empty() && !found_;
    if (found_) result.counterexample = rebuild(model_, trail_.chainTo(found_->parentFp, depth_), *found_);
    return result;
}

}  // namespace

SearchResult bfs(Model& model, FpTable& table, const SearchOptions& options) {
    Bfs search(model, table, options);
    SearchResult result = search.run();
    result.trailBytes = search.trailBytes();
    return result;
}

}  // namespace mc
