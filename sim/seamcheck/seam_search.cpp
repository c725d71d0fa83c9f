#include "sim/seamcheck/seam_search.hpp"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "sim/property.hpp"
#include "sim/seamcheck/seam_model.hpp"

namespace mc::seam {

namespace {

constexpr std::uint32_t kRoot = std::numeric_limits<std::uint32_t>::max();

// How a state was first reached: from which state (its number in discovery order), by
// which event, carrying which message.
struct Link {
    std::uint32_t parent = kRoot;
    PathStep step;
};

struct Queued {
    SeamState state;
    std::uint32_t number = 0;
    std::uint64_t fp = 0;
};

struct Found {
    int rank = 0;
    std::uint64_t parentFp = 0;
    std::uint32_t parent = 0;
    PathStep step;
    McViolation violation;
};

bool carries(const Event& e) {
    return e.kind == EventKind::Deliver || e.kind == EventKind::Drop || e.kind == EventKind::Duplicate;
}

class Search {
public:
    Search(const sim::Implementation& impl, const Bounds& bounds, const SearchOptions& options)
        : model_(impl, bounds), options_(options) {}

    SearchResult run();

private:
    void expand(const Queued& q, std::vector<Queued>& next);
    void report(const Queued& q, const PathStep& step, const McViolation& v);
    PathStep stepOf(const SeamState& s, const Event& e) const {
        const raft::Message m = carries(e) ? model_.message(s, e) : raft::Message{};
        return PathStep{e, m, describe(e, m)};
    }
    Counterexample counterexample() const;
    bool stopped() const {
        return (options_.maxStates != 0 && seen_.size() >= options_.maxStates) || options_.interrupted();
    }

    SeamModel model_;
    const SearchOptions& options_;
    std::unordered_set<std::uint64_t> seen_;  // membership only, never iterated
    std::vector<Link> links_;                 // by discovery order
    std::optional<Found> found_;
    SearchResult result_;
    std::vector<Event> events_;
};

// Of the violations at the shallowest depth, the least by (property rank, parent's
// fingerprint), as mc::search chooses.
void Search::report(const Queued& q, const PathStep& step, const McViolation& v) {
    const Found candidate{sim::propertyRank(v.property), q.fp, q.number, step, v};
    auto key = [](const Found& f) { return std::pair(f.rank, f.parentFp); };
    if (!found_ || key(candidate) < key(*found_)) found_ = candidate;
}

void Search::expand(const Queued& q, std::vector<Queued>& next) {
    model_.enabled(q.state, events_);
    SeamState successor;
    for (const Event& e : events_) {
        const SeamStep r = model_.step(q.state, e, successor);
        if (!r.inBounds) continue;
        ++result_.transitions;
        if (r.violation) {
            report(q, stepOf(q.state, e), *r.violation);
            continue;
        }
        result_.sawLeader |= r.seen.leaderElected;
        result_.sawCommit |= r.seen.entryCommitted;
        if (found_ || stopped()) continue;  // the level is finished, nothing added
        const std::uint64_t fp = model_.fingerprint(successor);
        if (!seen_.insert(fp).second) continue;
        links_.push_back(Link{q.number, stepOf(q.state, e)});
        next.push_back(Queued{std::move(successor), static_cast<std::uint32_t>(links_.size() - 1), fp});
    }
}

Counterexample Search::counterexample() const {
    Counterexample cex{found_->violation, {}};
    for (std::uint32_t k = found_->parent; links_[k].parent != kRoot; k = links_[k].parent) {
        cex.steps.push_back(links_[k].step);
    }
    std::reverse(cex.steps.begin(), cex.steps.end());
    cex.steps.push_back(found_->step);
    return cex;
}

SearchResult Search::run() {
    std::vector<Queued> frontier;
    {
        SeamState init = model_.initial();
        const std::uint64_t fp = model_.fingerprint(init);
        seen_.insert(fp);
        links_.push_back(Link{});
        frontier.push_back(Queued{std::move(init), 0, fp});
    }
    int depth = 0;
    while (!frontier.empty() && !found_ && !stopped()) {
        std::vector<Queued> next;
        for (const Queued& q : frontier) {
            expand(q, next);
            if (stopped()) break;
        }
        frontier = std::move(next);
        if (!frontier.empty() && !found_ && !stopped()) depth += 1;
        if (options_.progress) options_.progress(seen_.size(), result_.transitions, depth);
    }
    result_.states = seen_.size();
    result_.depth = depth;
    result_.complete = frontier.empty() && !found_ && !stopped();
    if (found_) result_.counterexample = counterexample();
    return result_;
}

}  // namespace

SearchResult seamSearch(const sim::Implementation& impl, const Bounds& bounds, const SearchOptions& options) {
    Search search(impl, bounds, options);
    return search.run();
}

}  // namespace mc::seam
