#include "traces/shrink.hpp"

#include <algorithm>
#include <stdexcept>

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

namespace {

class Shrinker {
public:
    Shrinker(const Trace& failing, std::size_t maxRuns)
        : best_(failing), property_(failing.verdict->property), maxRuns_(maxRuns) {}

    ShrinkResult run() {
        bool progress = true;
        while (progress && !exhausted()) {
            progress = false;
            progress |= fewerNodes();
            progress |= deleteFaults();
            progress |= deleteRequests();
            progress |= earlierFaults();
            progress |= shorterPhases();
            progress |= fewerCuts();
            for (std::size_t t = 0; t < best_.script.tapes.size(); ++t) progress |= shrinkTape(t);
        }
        return ShrinkResult{best_, runs_};
    }

private:
    bool exhausted() const { return runs_ >= maxRuns_; }

    // Re-executes a candidate; keeps it if it fails the same way and is smaller.
    bool attempt(const sim::SimOptions& options, const sim::Script& script) {
        if (exhausted()) return false;
        ++runs_;
        Trace candidate = best_;
        candidate.options = options;
        candidate.script = script;
        // A candidate that has not failed long after the best did is given up on: most
        // candidates do not fail, and would otherwise run to the end.
        candidate.options.maxEvents = std::min<std::uint64_t>(options.maxEvents, 2 * best_.events.size() + 100);
        Trace out = rerun(candidate);
        out.options.maxEvents = options.maxEvents;  // it failed within the cap: same run
        if (!out.verdict || out.verdict->property != property_) return false;
        if (!(TraceSize::of(out) < TraceSize::of(best_))) return false;
        best_ = std::move(out);
        return true;
    }
    bool attempt(const sim::Script& script) { return attempt(best_.options, script); }

    // Deletes chunks of the vector `get` selects, big chunks first, from the back.
    template <typename Get>
    bool deleteChunks(Get get, std::size_t minChunk = 1) {
        bool any = false;
        for (std::size_t chunk = std::max<std::size_t>(1, get(best_.script).size() / 2);
             chunk >= minChunk && !exhausted(); chunk /= 2) {
            std::size_t end = get(best_.script).size();
            while (end > 0 && !exhausted()) {
                const std::size_t start = end > chunk ? end - chunk : 0;
                sim::Script candidate = best_.script;
                auto& items = get(candidate);
                items.erase(items.begin() + static_cast<std::ptrdiff_t>(start),
                            items.begin() + static_cast<std::ptrdiff_t>(std::min(end, items.size())));
                any |= attempt(candidate);
                end = std::min(start, get(best_.script).size());
            }
            if (chunk == 1) break;
        }
        return any;
    }

    bool deleteFaults() {
        return deleteChunks([](sim::Script& s) -> auto& { return s.faults; });
    }
    bool deleteRequests() {
        return deleteChunks([](sim::Script& s) -> auto& { return s.requests; });
    }

    bool fewerCuts() {
        bool any = false;
        for (std::size_t f = 0; f < best_.script.faults.size() && !exhausted(); ++f) {
            if (best_.script.faults[f].cuts.size() < 2) continue;
            any |= deleteChunks([f](sim::Script& s) -> auto& { return s.faults[std::min(f, s.faults.size() - 1)].cuts; });
        }
        return any;
    }

    // A smaller cluster: faults on the nodes that are gone go too.
    bool fewerNodes() {
        for (int n = 1; n < best_.options.nodes && !exhausted(); ++n) {
            sim::SimOptions options = best_.options;
            options.nodes = n;
            sim::Script script = best_.script;
            const auto gone = [n](raft::NodeId id) { return id >= n; };
            std::erase_if(script.faults, [&](const sim::FaultStrike& s) { return gone(s.node) || gone(s.peer); });
            for (sim::FaultStrike& s : script.faults) {
                std::erase_if(s.cuts, [&](const auto& cut) { return gone(cut[0]) || gone(cut[1]); });
            }
            script.tapes.resize(sim::Script::tapeCount(n));
            if (attempt(options, script)) return true;
        }
        return false;
    }

    // Moves each fault (with all later ones) as early as it can go.
    bool earlierFaults() {
        bool any = false;
        for (std::size_t k = 0; k < best_.script.faults.size() && !exhausted(); ++k) {
            const sim::Micros previous = k > 0 ? best_.script.faults[k - 1].timeUs : 0;
            const sim::Micros gap = best_.script.faults[k].timeUs - previous;
            for (sim::Micros shift = gap; shift >= 1'000 && !exhausted(); shift /= 2) {
                sim::Script candidate = best_.script;
                for (std::size_t j = k; j < candidate.faults.size(); ++j) candidate.faults[j].timeUs -= shift;
                if (attempt(candidate)) {
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    // Shorter phases matter when the violation is only found at the end (liveness).
    bool shorterPhases() {
        bool any = false;
        for (int i = 0; i < 4 && !exhausted(); ++i) {
            sim::SimOptions options = best_.options;
            options.safetyPhaseUs /= 2;
            if (options.safetyPhaseUs < 1'000 || !attempt(options, best_.script)) break;
            any = true;
        }
        for (int i = 0; i < 4 && !exhausted(); ++i) {
            sim::SimOptions options = best_.options;
            options.livenessPhaseUs /= 2;
            if (options.livenessPhaseUs < 1'000 || !attempt(options, best_.script)) break;
            any = true;
        }
        return any;
    }

    // Choices: cut the tape short, delete chunks, zero chunks (0 is the simplest choice),
    // then halve single values. Long tapes stop at chunks of 1/64 of their length.
    bool shrinkTape(std::size_t t) {
        const auto tape = [t](sim::Script& s) -> sim::ChoiceTape& { return s.tapes[t]; };
        const std::size_t size = best_.script.tapes[t].size();
        const std::size_t minChunk = size <= kSmallTape ? 1 : size / 64;
        bool any = deleteChunks(tape, minChunk);
        any |= zeroChunks(t, minChunk);
        if (best_.script.tapes[t].size() <= kSmallTape) any |= halveValues(t);
        return any;
    }

    static constexpr std::size_t kSmallTape = 1024;

    bool halveValues(std::size_t t) {
        bool any = false;
        for (std::size_t i = 0; i < best_.script.tapes[t].size() && !exhausted(); ++i) {
            if (best_.script.tapes[t][i] < 2) continue;
            sim::Script candidate = best_.script;
            candidate.tapes[t][i] /= 2;
            any |= attempt(candidate);
        }
        return any;
    }

    bool zeroChunks(std::size_t t, std::size_t minChunk) {
        bool any = false;
        const std::size_t size = best_.script.tapes[t].size();
        for (std::size_t chunk = std::max<std::size_t>(1, size / 2); chunk >= std::max<std::size_t>(1, minChunk) && !exhausted();
             chunk /= 2) {
            for (std::size_t start = 0; start < best_.script.tapes[t].size() && !exhausted(); start += chunk) {
                sim::Script candidate = best_.script;
                sim::ChoiceTape& values = candidate.tapes[t];
                const auto end = std::min(values.size(), start + chunk);
                if (std::all_of(values.begin() + static_cast<std::ptrdiff_t>(start),
                                values.begin() + static_cast<std::ptrdiff_t>(end), [](std::uint64_t v) { return v == 0; })) {
                    continue;
                }
                std::fill(values.begin() + static_cast<std::ptrdiff_t>(start), values.begin() + static_cast<std::ptrdiff_t>(end), 0);
                any |= attempt(candidate);
            }
            if (chunk == 1) break;
        }
        return any;
    }

    Trace best_;
    std::string property_;
    std::size_t maxRuns_;
    std::size_t runs_ = 0;
};

}  // namespace

ShrinkResult shrink(const Trace& failing, const ShrinkOptions& options) {
    if (!failing.verdict) throw std::invalid_argument("shrink: the trace violates no property");
    // Start from the re-execution, so the result's script is exactly what runs.
    Trace start = rerun(failing);
    if (!start.verdict || start.verdict->property != failing.verdict->property) {
        throw std::invalid_argument("shrink: the trace does not replay to its violation");
    }
    return Shrinker(start, options.maxRuns).run();
}

}  // namespace traces
