// The linearizability witness in traces: recorded with its events, written only for a
// linearizability verdict, read back exactly, refused with one line when bad, compared on
// replay, and recomputed by shrinking.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <sstream>

#include "traces/json_read.hpp"
#include "traces/json_write.hpp"
#include "traces/lin_witness.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"
#include "traces/stepper.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

const Trace& linFailing() {
    static const Trace t = record(testing::linFailingOptions(), testing::kLinFailingSeed);
    return t;
}

using testing::errorOf;

// The events an operation notes: invoked as its client woke, completed (unless pending)
// during an event at its completion time. Returns whether it completed.
bool checkEventsOf(const sim::Operation& op, const Trace& t) {
    REQUIRE(op.invokeEvent >= 1);
    REQUIRE(op.invokeEvent <= t.events.size());
    const sim::EventRecord& invoke = t.events[op.invokeEvent - 1];
    CHECK(invoke.kind == sim::EventKind::ClientWake);
    CHECK(invoke.ref == static_cast<std::uint32_t>(op.client));
    CHECK(invoke.timeUs == op.invokeUs);
    if (op.outcome == sim::Outcome::Pending) {
        CHECK(op.completeEvent == 0);
        return false;
    }
    REQUIRE(op.completeEvent >= op.invokeEvent);
    REQUIRE(op.completeEvent <= t.events.size());
    CHECK(t.events[op.completeEvent - 1].timeUs == op.completeUs);
    return true;
}

// The failing trace's text with its first `from` replaced.
std::string edited(const std::string& from, const std::string& to) {
    std::string text = testing::replacedOnce(dump(linFailing()), from, to);
    REQUIRE_FALSE(text.empty());
    return text;
}

// The failing trace's text without its `linearizability` section, as older raftsims wrote it.
std::string withoutWitness() {
    std::string text = dump(linFailing());
    const auto from = text.find("  \"linearizability\": {");
    const auto to = text.find("  \"events\": [");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    return text.erase(from, to - from);
}

}  // namespace

TEST_CASE("witness_isRecorded_forALinearizabilityVerdict_withTheEventsOfEachOperation") {
    const Trace& t = linFailing();
    REQUIRE(t.verdict.has_value());
    REQUIRE(t.verdict->property == "linearizability");
    REQUIRE(t.witness.has_value());
    CHECK(t.verdict->details == sim::lin::describe(*t.witness));
    CHECK_FALSE(t.witness->witness.ops.empty());
    for (const sim::Operation& op : t.witness->witness.ops) {
        CAPTURE(sim::lin::describe(op));
        CHECK(op.command.key == t.witness->key);
        checkEventsOf(op, t);
    }
}

TEST_CASE("history_everyOperationNotesTheEventsOfItsInvocationAndCompletion") {
    std::vector<sim::Operation> history;
    const Trace t = rerun(linFailing(), {}, &history);
    REQUIRE(history.size() > 100);
    std::size_t completed = 0;
    for (const sim::Operation& op : history) {
        CAPTURE(sim::lin::describe(op));
        if (!checkEventsOf(op, t)) continue;
        completed += 1;
        // A timeout is the client waking up; any other completion is a node's step.
        if (op.outcome == sim::Outcome::Info) CHECK(t.events[op.completeEvent - 1].kind == sim::EventKind::ClientWake);
        if (op.outcome == sim::Outcome::Ok) CHECK(t.events[op.completeEvent - 1].stepped);
    }
    CHECK(completed > history.size() / 2);
}

TEST_CASE("witness_isWrittenOnlyForALinearizabilityVerdict_andReadsBackByteForByte") {
    const std::string text = dump(linFailing());
    CHECK(text.find("\n  \"linearizability\": {\n    \"verdict\": \"violated\",") != std::string::npos);
    const Trace read = parseTrace(text, "t.json");
    REQUIRE(read.witness.has_value());
    CHECK(sameWitness(*read.witness, *linFailing().witness));
    CHECK(dump(read) == text);
    // One operation a line.
    CHECK(text.find("\n      {\"client\":") != std::string::npos);
    for (const Trace& other : {record(testing::busyOptions(4), 4),
                               record(testing::withBug(testing::busyOptions(3), raft::Bug::VoteNoLogCheck), 3)}) {
        CHECK_FALSE(other.witness.has_value());
        CHECK(dump(other).find("linearizability\"") == std::string::npos);
    }
}

TEST_CASE("witness_olderTraceWithout_readsAndReplaysIdentically") {
    const Trace old = parseTrace(withoutWitness(), "old.json");
    CHECK_FALSE(old.witness.has_value());
    const Comparison c = replay(old);
    CHECK_MESSAGE(c.identical, c.report);
    REQUIRE(c.witness.has_value());
    CHECK(sameWitness(*c.witness, *linFailing().witness));
}

TEST_CASE("witness_badJson_isOneLineNamingFileAndField") {
    const sim::Operation& first = linFailing().witness->witness.ops.front();
    const std::string outcome = fmt::format("\"outcome\":\"{}\"", sim::name(first.outcome));
    CHECK(errorOf(edited(outcome, "\"outcome\":\"maybe\"")) ==
          "t.json: field 'linearizability.witness[0].outcome': unknown name 'maybe'");
    CHECK(errorOf(edited("\"verdict\": \"violated\"", "\"verdict\": \"ok\"")) ==
          "t.json: field 'linearizability.verdict': 'ok': only a violated check is recorded");
    CHECK(errorOf(edited("\"minimal\": ", "\"minimal\": 3, \"x\": ")) ==
          "t.json: field 'linearizability.minimal': expected true or false, got number");
    const std::string invoke = fmt::format("\"invokeEvent\":{}", first.invokeEvent);
    CHECK(errorOf(edited(invoke, "\"invokeEvent\":99999999")) ==
          fmt::format("t.json: field 'linearizability.witness[0].invokeEvent': 99999999 is above the limit {}",
                      linFailing().events.size()));
    CHECK(errorOf(edited("\"witness\": [", "\"witness\": 7, \"w\": [")) ==
          "t.json: field 'linearizability.witness': expected an array, got number");
    CHECK(errorOf(edited("\"property\": \"linearizability\"", "\"property\": \"election-safety\"")) ==
          "t.json: field 'linearizability': recorded, but the verdict is not linearizability");
}

TEST_CASE("witness_differentOnReplay_isADivergence") {
    Trace tampered = linFailing();
    tampered.witness->witness.ops.front().result += 1;
    const Comparison c = replay(tampered);
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged in the linearizability witness after") == 0);
    CHECK(c.report.find("\n  recorded: {\"verdict\":\"violated\"") != std::string::npos);
    const Comparison again = compare(tampered, rerun(linFailing()));
    CHECK_FALSE(again.identical);
    CHECK(again.report == c.report);
    CHECK(compare(linFailing(), rerun(linFailing())).identical);
}

TEST_CASE("witness_stepper_marksItsOperationsWhereTheyHappen") {
    std::ostringstream out;
    const Comparison c = replay(linFailing(), simStepper(out, linFailing().witness));
    REQUIRE(c.identical);
    const std::string text = out.str();
    for (const sim::Operation& op : linFailing().witness->witness.ops) {
        const std::string invoked = fmt::format("event {} t=", op.invokeEvent);
        const auto at = text.find(invoked);
        REQUIRE(at != std::string::npos);
        const auto next = text.find("\nevent ", at);
        const std::string block = text.substr(at, next - at);
        CHECK(block.find(markText(WitnessMark{&op, true})) != std::string::npos);
    }
    std::ostringstream end;
    printWitness(end, *c.witness);
    CHECK(end.str().starts_with("linearizability violated on key "));
    CHECK(end.str().find(witnessOpText(c.witness->witness.ops.front())) != std::string::npos);
}

TEST_CASE("witness_shrinking_keepsTheViolation_withItsOwnWitness") {
    const ShrinkResult r = shrink(linFailing(), ShrinkOptions{.maxRuns = 300});
    REQUIRE(r.trace.verdict.has_value());
    CHECK(r.trace.verdict->property == "linearizability");
    REQUIRE(r.trace.witness.has_value());
    CHECK(r.trace.events.size() < linFailing().events.size());
    // Its own: what the shrunk run's check finds, which replay compares.
    const Comparison c = replay(parseTrace(dump(r.trace), "shrunk.json"));
    CHECK_MESSAGE(c.identical, c.report);
    REQUIRE(c.witness.has_value());
    CHECK(sameWitness(*c.witness, *r.trace.witness));
    for (const sim::Operation& op : r.trace.witness->witness.ops) CHECK(op.invokeEvent <= r.trace.events.size());
}

}  // namespace traces
