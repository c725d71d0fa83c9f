#include "traces/shrink.hpp"

#include <array>
#include <span>
#include <stdexcept>

#include "traces/shrink_impl.hpp"

namespace traces {

TraceSize TraceSize::of(const Trace& t) {
    TraceSize s{.nodes = static_cast<std::size_t>(t.options.nodes),
                .faults = t.script.faults.size(),
                .requests = t.script.requests.size(),
                .events = t.events.size()};
    for (const sim::ChoiceTape& tape : t.script.tapes) {
        s.choices += tape.size();
        for (const std::uint64_t v : tape) s.choiceSum += v;
    }
    return s;
}

namespace detail {

namespace {

class EventList : public sim::EventObserver {
public:
    explicit EventList(std::vector<sim::EventRecord>& out) : out_(out) {}
    void onEvent(const sim::EventRecord& event) override { out_.push_back(event); }

private:
    std::vector<sim::EventRecord>& out_;
};

}  // namespace

// As `rerun`, keeping the clients' bookkeeping too.
Run execute(const Trace& candidate) {
    Run r;
    r.trace.seed = candidate.seed;
    r.trace.repro = candidate.repro;
    r.trace.options = candidate.options;
    EventList events(r.trace.events);
    sim::World world(candidate.options, candidate.seed,
                     sim::Tap{.record = &r.trace.script, .replay = &candidate.script, .observer = &events});
    const sim::RunResult result = world.run();
    r.trace.verdict = result.violation;
    r.trace.witness = witnessOf(result);
    r.clientDraws = world.clients().draws();
    r.history = world.clients().history();
    return r;
}

bool Shrinker::attempt(const sim::SimOptions& options, const sim::Script& script) {
    if (exhausted()) return false;
    ++runs_;
    Trace candidate = best();
    candidate.options = options;
    candidate.script = script;
    // A candidate that has not failed long after the best did is given up on: most
    // candidates do not fail, and would otherwise run to the end.
    candidate.options.maxEvents = std::min<std::uint64_t>(options.maxEvents, 2 * best().events.size() + 100);
    Run out = execute(candidate);
    out.trace.options.maxEvents = options.maxEvents;  // it failed within the cap: same run
    if (!out.trace.verdict || out.trace.verdict->property != property_) return false;
    if (!(TraceSize::of(out.trace) < TraceSize::of(best()))) return false;
    best_ = std::move(out);
    return true;
}

// Coarse steps first, repeated while they help; the recorded choices value by value only
// when nothing coarse helps any more (on long runs they would use up the budget). The
// classic strategy takes its few steps, value by value too, in every round.
Run Shrinker::run() {
    // Both steps of a round run, the structure first.
    while (!exhausted()) {
        const bool coarse = structure();
        if (strategy_ == kClassic) {
            const bool fine = values(true);
            if (!coarse && !fine) break;
        } else {
            const bool coarseValues = values(false);
            if (!coarse && !coarseValues && !values(true)) break;
        }
    }
    return best_;
}

// The coarse steps, in the order of the strategy: forwards, backwards, or only the
// schedule steps of the first shrinker. Each strategy ends in its own local minimum,
// and shrink() keeps the smallest.
bool Shrinker::structure() {
    using Pass = bool (Shrinker::*)();
    static constexpr std::array<Pass, 10> kPasses = {
        &Shrinker::fewerNodes,        &Shrinker::deleteFaults,   &Shrinker::simplerMessages,
        &Shrinker::deleteOwnRequests, &Shrinker::deleteRequests, &Shrinker::earlierFaults,
        &Shrinker::shorterPhases,     &Shrinker::fewerCuts,      &Shrinker::simplerThinks,
        &Shrinker::thinksUntilLeader};
    static constexpr std::array<Pass, 6> kClassicPasses = {
        &Shrinker::fewerNodes,    &Shrinker::deleteFaults,  &Shrinker::deleteRequests,
        &Shrinker::earlierFaults, &Shrinker::shorterPhases, &Shrinker::fewerCuts};
    const std::span<const Pass> passes = strategy_ == kClassic ? std::span<const Pass>(kClassicPasses) : kPasses;
    bool progress = false;
    for (std::size_t i = 0; i < passes.size() && !exhausted(); ++i) {
        progress |= (this->*passes[strategy_ == kBackwards ? passes.size() - 1 - i : i])();
    }
    return progress;
}

bool Shrinker::values(bool fine) {
    bool progress = false;
    for (std::size_t t = 0; t < script().tapes.size() && !exhausted(); ++t) progress |= shrinkTape(t, fine);
    return progress;
}

}  // namespace detail

// Each strategy starts from the best trace so far with the budget the ones before it
// left; rounds repeat while one of them finds a smaller trace (each strategy's local
// minimum is a new start for the others).
ShrinkResult shrink(const Trace& failing, const ShrinkOptions& options) {
    if (!failing.verdict) throw std::invalid_argument("shrink: the trace violates no property");
    // Start from the re-execution, so the result's script is exactly what runs.
    detail::Run start = detail::execute(failing);
    if (!start.trace.verdict || start.trace.verdict->property != failing.verdict->property) {
        throw std::invalid_argument("shrink: the trace does not replay to its violation");
    }
    std::size_t runs = 0;
    for (bool progress = true; progress && runs < options.maxRuns;) {
        progress = false;
        detail::Run roundStart = start;
        for (int strategy = 0; strategy < detail::kShrinkStrategies && runs < options.maxRuns; ++strategy) {
            detail::Shrinker shrinker(roundStart, failing.verdict->property, options.maxRuns - runs, strategy);
            detail::Run r = shrinker.run();
            runs += shrinker.runs();
            if (TraceSize::of(r.trace) < TraceSize::of(start.trace)) {
                start = std::move(r);
                progress = true;
            }
        }
    }
    return ShrinkResult{start.trace, runs};
}

}  // namespace traces
