#include "traces/trace.hpp"

namespace traces {

namespace {

class EventList : public sim::EventObserver {
public:
    explicit EventList(std::vector<sim::EventRecord>& out) : out_(out) {}
    void onEvent(const sim::EventRecord& event) override { out_.push_back(event); }

private:
    std::vector<sim::EventRecord>& out_;
};

Trace runTapped(const sim::SimOptions& options, std::uint64_t seed, const sim::Script* replay,
                sim::RunResult* result = nullptr) {
    Trace t;
    t.seed = seed;
    t.options = options;
    EventList events(t.events);
    sim::World world(options, seed, sim::Tap{.record = &t.script, .replay = replay, .observer = &events});
    sim::RunResult r = world.run();
    t.verdict = r.violation;
    if (result != nullptr) *result = std::move(r);
    return t;
}

}  // namespace

Trace record(const sim::SimOptions& options, std::uint64_t seed, std::string repro,
             sim::RunResult* result) {
    Trace t = runTapped(options, seed, nullptr, result);
    t.repro = std::move(repro);
    return t;
}

Trace rerun(const Trace& trace) {
    Trace t = runTapped(trace.options, trace.seed, &trace.script);
    t.repro = trace.repro;
    return t;
}

}  // namespace traces
