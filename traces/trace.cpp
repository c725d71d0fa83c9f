#include "traces/trace.hpp"

namespace traces {

namespace {

class EventList : public sim::EventObserver {
public:
    EventList(std::vector<sim::EventRecord>& out, const WorldWatcher& watch) : out_(out), watch_(watch) {}
    void onEvent(const sim::EventRecord& event) override {
        out_.push_back(event);
        if (watch_ && world_ != nullptr) watch_(event, *world_);
    }
    void watch(const sim::World& world) { world_ = &world; }

private:
    std::vector<sim::EventRecord>& out_;
    const WorldWatcher& watch_;
    const sim::World* world_ = nullptr;
};

Trace runTapped(const sim::SimOptions& options, std::uint64_t seed, const sim::Script* replay,
                sim::RunResult* result = nullptr, const WorldWatcher& watch = {},
                std::vector<sim::Operation>* history = nullptr) {
    Trace t;
    t.seed = seed;
    t.options = options;
    EventList events(t.events, watch);
    sim::World world(options, seed, sim::Tap{.record = &t.script, .replay = replay, .observer = &events});
    events.watch(world);
    sim::RunResult r = world.run();
    t.verdict = r.violation;
    t.witness = witnessOf(r);
    if (history != nullptr) *history = world.clients().history();
    if (result != nullptr) *result = std::move(r);
    return t;
}

}  // namespace

std::optional<sim::lin::KeyWitness> witnessOf(const sim::RunResult& result) {
    if (!result.lin || result.lin->verdict != sim::lin::Verdict::Violated) return std::nullopt;
    return result.lin->witness;
}

Trace record(const sim::SimOptions& options, std::uint64_t seed, std::string repro,
             sim::RunResult* result) {
    Trace t = runTapped(options, seed, nullptr, result);
    t.repro = std::move(repro);
    return t;
}

Trace rerun(const Trace& trace, const WorldWatcher& watch, std::vector<sim::Operation>* history) {
    Trace t = runTapped(trace.options, trace.seed, &trace.script, nullptr, watch, history);
    t.repro = trace.repro;
    return t;
}

}  // namespace traces
