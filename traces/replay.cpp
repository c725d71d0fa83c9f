#include "traces/replay.hpp"

#include <fmt/format.h>

#include "traces/json_write.hpp"
#include "traces/lin_witness.hpp"

namespace traces {

namespace {

std::string side(const std::vector<sim::EventRecord>& events, std::size_t i) {
    return i < events.size() ? toJson(events[i]).dump() : "(none: the run ended before it)";
}

}  // namespace

std::string verdictText(const std::optional<sim::Violation>& v) {
    if (!v) return "all properties held";
    return fmt::format("VIOLATED {} at event {} (t={}us): {}", v->property, v->event, v->timeUs, v->details);
}

namespace {

struct Diverged {};

// Compares each event of a re-execution with the recorded one as it happens; throws
// Diverged (out of the world's run) at the first difference.
class EventComparer : public sim::EventObserver {
public:
    EventComparer(const std::vector<sim::EventRecord>& recorded, const WorldWatcher& watch)
        : recorded_(recorded), watch_(watch) {}
    void watch(const sim::World& world) { world_ = &world; }

    void onEvent(const sim::EventRecord& event) override {
        if (watch_ && world_ != nullptr) watch_(event, *world_);
        const std::size_t i = seen_++;
        if (i < recorded_.size() && recorded_[i] == event) return;
        report_ = fmt::format("diverged at event {}:\n  recorded: {}\n  replayed: {}", i + 1, side(recorded_, i),
                              toJson(event).dump());
        throw Diverged{};
    }
    // After the run: a recorded event the re-execution never reached is a divergence too.
    std::optional<std::string> divergence() const {
        if (!report_.empty()) return report_;
        if (seen_ == recorded_.size()) return std::nullopt;
        return fmt::format("diverged at event {}:\n  recorded: {}\n  replayed: {}", seen_ + 1, side(recorded_, seen_),
                           side({}, 0));
    }
    std::size_t seen() const { return seen_; }

private:
    const std::vector<sim::EventRecord>& recorded_;
    const WorldWatcher& watch_;
    const sim::World* world_ = nullptr;
    std::size_t seen_ = 0;
    std::string report_;
};

bool sameVerdict(const std::optional<sim::Violation>& a, const std::optional<sim::Violation>& b) {
    return a.has_value() == b.has_value() &&
           (!a || (a->property == b->property && a->event == b->event && a->timeUs == b->timeUs &&
                   a->details == b->details));
}

std::string witnessJson(const std::optional<sim::lin::KeyWitness>& w) {
    return w ? toJson(*w).dump() : "(none)";
}

// A recorded witness the re-execution's check does not find again, as a report; none:
// the same (or none recorded).
std::optional<std::string> witnessDivergence(const std::optional<sim::lin::KeyWitness>& recorded,
                                             const std::optional<sim::lin::KeyWitness>& replayed, std::size_t events) {
    if (!recorded || (replayed && sameWitness(*recorded, *replayed))) return std::nullopt;
    return fmt::format("diverged in the linearizability witness after {} identical events:\n  recorded: {}\n  replayed: {}",
                       events, witnessJson(recorded), witnessJson(replayed));
}

}  // namespace

Comparison replay(const Trace& recorded, const WorldWatcher& watch) {
    EventComparer comparer(recorded.events, watch);
    std::optional<sim::Violation> verdict;
    std::optional<sim::lin::KeyWitness> witness;
    bool capped = false;
    try {
        sim::World world(recorded.options, recorded.seed, sim::Tap{.replay = &recorded.script, .observer = &comparer});
        comparer.watch(world);
        const sim::RunResult result = world.run();
        verdict = result.violation;
        witness = witnessOf(result);
        capped = result.eventCapReached;
    } catch (const Diverged&) {
    }
    if (const auto diverged = comparer.divergence()) return Comparison{false, *diverged, {}};
    const std::string violated = verdict ? verdict->property : "";
    if (!sameVerdict(recorded.verdict, verdict)) {
        return Comparison{false,
                          fmt::format("diverged in the verdict after {} identical events:\n  recorded: {}\n  replayed: {}",
                                      comparer.seen(), verdictText(recorded.verdict), verdictText(verdict)),
                          violated};
    }
    if (const auto differs = witnessDivergence(recorded.witness, witness, comparer.seen())) {
        return Comparison{false, *differs, violated, false, witness};
    }
    const std::string text = !verdict && capped ? fmt::format("unfinished: event cap of {} reached", comparer.seen())
                                                : verdictText(verdict);
    return Comparison{true, fmt::format("identical: {} events, verdict: {}", comparer.seen(), text), violated,
                      !verdict && capped, witness};
}

Comparison compare(const Trace& recorded, const Trace& replayed) {
    const std::vector<sim::EventRecord>& a = recorded.events;
    const std::vector<sim::EventRecord>& b = replayed.events;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
        return Comparison{false, fmt::format("diverged at event {}:\n  recorded: {}\n  replayed: {}",
                                             i + 1, side(a, i), side(b, i))};
    }
    const std::string violated = replayed.verdict ? replayed.verdict->property : "";
    if (!sameVerdict(recorded.verdict, replayed.verdict)) {
        return Comparison{false, fmt::format("diverged in the verdict after {} identical events:\n"
                                             "  recorded: {}\n  replayed: {}",
                                             n, verdictText(recorded.verdict), verdictText(replayed.verdict)),
                          violated};
    }
    if (const auto differs = witnessDivergence(recorded.witness, replayed.witness, n)) {
        return Comparison{false, *differs, violated, false, replayed.witness};
    }
    return Comparison{true, fmt::format("identical: {} events, verdict: {}", n, verdictText(replayed.verdict)),
                      violated, false, replayed.witness};
}

}  // namespace traces
