// Property-based checks over explicit fault schedules: the correct core keeps every
// safety property whatever the schedule, and a switched-on bug yields a counterexample
// that shrinks to a short schedule and is written as a trace `raftsim replay` accepts.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cctype>

#include "sim/tests/properties/rc_doctest.hpp"
#include "sim/tests/properties/schedule_gen.hpp"
#include "traces/json_write.hpp"
#include "traces/replay.hpp"
#include "traces/trace.hpp"

using props::Case;

namespace {

struct Counterexample {
    rc::detail::FailureResult failure;
    Case shrunk;  // the last failing case rapidcheck tried: the shrunk one
    sim::Violation violation;
    std::string tracePath;
};

std::string fileName(std::string_view id) {
    std::string out;
    for (const char ch : id) out += std::isalnum(static_cast<unsigned char>(ch)) != 0 ? ch : '-';
    return out;
}

// Writes the case as a trace, recorded by re-running it.
std::string writeTrace(const std::string& id, const Case& c) {
    traces::Trace input;
    input.options = c.options;
    input.script = c.script;
    const traces::Trace trace = traces::rerun(input);
    const std::string path = fileName(id) + ".trace.json";
    traces::writeTrace(path, trace);
    return path;
}

// Checks that every safety property holds over cases from `gen`; returns the shrunk
// counterexample if not.
std::optional<Counterexample> hunt(const std::string& id, const rc::Gen<Case>& gen,
                                   const rc::detail::TestParams& params) {
    std::optional<Case> lastFailing;
    std::optional<sim::Violation> lastViolation;
    const auto failure = rcdoctest::run(id, [&] {
        const Case c = *gen;
        const std::optional<sim::Violation> v = props::runCase(c);
        if (v) {
            lastFailing = c;
            lastViolation = v;
            RC_FAIL(fmt::format("{}: {}", v->property, v->details));
        }
    }, nullptr, params);
    if (!failure) return std::nullopt;
    Counterexample out{*failure, *lastFailing, *lastViolation, {}};
    out.tracePath = writeTrace(id, out.shrunk);
    return out;
}

std::string report(const std::string& id, const Counterexample& ce) {
    return fmt::format("{} broken after shrinking:\n{}reproduce: RC_PARAMS=\"{}\"\ntrace: {} (raftsim replay {})\n",
                       ce.violation.property, props::describe(ce.shrunk),
                       rcdoctest::reproduceParams(id, ce.failure), ce.tracePath, ce.tracePath);
}

}  // namespace

TEST_CASE("properties: the correct core keeps every safety property under any schedule") {
    const std::string id = "properties/correct-core";
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.maxSuccess = std::max(params.maxSuccess, 300);
    const auto ce = hunt(id, props::genCase(), params);
    if (ce) FAIL_CHECK(report(id, *ce));
}

TEST_CASE("properties: a bug yields a shrunk schedule and a trace that replays") {
    // A fixed seed keeps this test deterministic; these switches fall to schedules
    // quickly (the sweep, not this test, is what must catch every switch).
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    params.seed = 1;
    params.maxSuccess = 300;
    for (const char* name : {"no-step-down-higher-term", "vote-no-log-check", "commit-index-regress",
                             "truncate-on-stale-append"}) {
        SUBCASE(name) {
            raft::BugSet bugs;
            bugs.enable(*raft::bugByName(name));
            const std::string id = std::string("properties/") + name;
            const auto ce = hunt(id, props::genCase(bugs), params);
            REQUIRE(ce);
            MESSAGE(report(id, *ce));
            CHECK(ce->shrunk.script.faults.size() <= 3);
            // The written trace replays to the same violation.
            const traces::Trace recorded = traces::rerun(traces::Trace{.options = ce->shrunk.options,
                                                                       .script = ce->shrunk.script});
            REQUIRE(recorded.verdict);
            CHECK(recorded.verdict->property == ce->violation.property);
            CHECK(traces::compare(recorded, traces::rerun(recorded)).identical);
        }
    }
}
