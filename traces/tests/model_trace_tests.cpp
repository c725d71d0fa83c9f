// Model-checker traces: a BFS counterexample written, read and replayed step by step;
// edits diverge; malformed files give one line naming the field.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sstream>
#include <string>

#include "traces/json_read.hpp"
#include "traces/json_write.hpp"
#include "traces/model_export.hpp"
#include "traces/model_replay.hpp"
#include "traces/model_trace.hpp"
#include "traces/stepper.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

// The shortest counterexample for vote-no-log-check in elect3 (8 steps), as a trace.
const mc::ModelTrace& voteNoLogCheck() {
    static const mc::ModelTrace trace = [] {
        mc::Bounds b = *mc::presetByName("elect3");
        b.bugs.enable(raft::Bug::VoteNoLogCheck);
        const mc::SearchResult r = mc::search(b, mc::SearchOptions{});
        REQUIRE(r.counterexample.has_value());
        return mc::record(b, *r.counterexample, "raftsim check --preset elect3 --bug vote-no-log-check");
    }();
    return trace;
}

Comparison replayOf(const mc::ModelTrace& t) { return compare(t, mc::rerun(t)); }

std::string errorOf(const std::string& text) {
    try {
        (void)parseAnyTrace(text, "m.json");
    } catch (const TraceError& e) {
        return e.what();
    }
    return "(no error)";
}

// The trace's text with the first occurrence of `from` replaced.
std::string edited(const std::string& from, const std::string& to) {
    std::string text = dump(voteNoLogCheck());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("modelTrace_writeReadWrite_isByteIdentical") {
    const std::string first = dump(voteNoLogCheck());
    const AnyTrace read = parseAnyTrace(first, "m.json");
    REQUIRE(std::holds_alternative<mc::ModelTrace>(read));
    const mc::ModelTrace& t = std::get<mc::ModelTrace>(read);
    CHECK(t.steps.size() == 8);
    CHECK(t.records == voteNoLogCheck().records);
    CHECK(dump(t) == first);
    CHECK(first.find("\"engine\": \"model\"") != std::string::npos);
    CHECK(first.find("\n    {\"i\":1,\"k\":\"timeout\",\"n\":") != std::string::npos);  // one event per line
}

TEST_CASE("modelTrace_bfsCounterexample_replaysIdenticalWithItsViolation") {
    const mc::ModelTrace& t = voteNoLogCheck();
    REQUIRE(t.verdict.has_value());
    CHECK(t.verdict->property == "leader-completeness");
    CHECK(t.verdict->step == 8);
    const Comparison c = replayOf(parseModelTrace(dump(t), "m.json"));
    CHECK_MESSAGE(c.identical, c.report);
    CHECK(c.report.find("identical: 8 events, verdict: VIOLATED leader-completeness at step 8: ") == 0);
}

TEST_CASE("modelTrace_editedState_divergesAtThatStep") {
    mc::ModelTrace t = voteNoLogCheck();
    t.records[2].nodes[1].currentTerm += 1;
    const Comparison c = replayOf(t);
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged at event 3:\n  recorded: {\"i\":3,") == 0);
    CHECK(c.report.find("\n  replayed: {\"i\":3,") != std::string::npos);
}

TEST_CASE("modelTrace_eventNotEnabled_divergesThere") {
    mc::ModelTrace t = voteNoLogCheck();
    t.steps.erase(t.steps.begin());  // the first election timeout never fired
    t.records.erase(t.records.begin());
    const Comparison c = replayOf(t);
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged at event 1:") == 0);
    CHECK(c.report.find("replayed: (none: step 1 (") != std::string::npos);
    CHECK(c.report.find(") is not enabled)") != std::string::npos);
}

TEST_CASE("modelTrace_editedVerdict_divergesInTheVerdict") {
    mc::ModelTrace t = voteNoLogCheck();
    t.verdict->property = "election-safety";
    const Comparison c = replayOf(t);
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("diverged in the verdict after 8 identical events:") == 0);
    CHECK(c.report.find("recorded: VIOLATED election-safety at step 8") != std::string::npos);
}

TEST_CASE("modelTrace_editedText_replaysIdentical_butAnEditedMessageDoesNot") {
    // The text is for people; the message is what identifies a step.
    CHECK(replayOf(parseModelTrace(edited("\"text\":\"timeout", "\"text\":\"TIMEOUT"), "m.json")).identical);
    const Comparison c = replayOf(parseModelTrace(edited("\"lastLogIndex\":0", "\"lastLogIndex\":5"), "m.json"));
    CHECK_FALSE(c.identical);
    CHECK(c.report.find("is not enabled") != std::string::npos);
}

TEST_CASE("modelTrace_malformed_oneLineNamingFileAndField") {
    const std::string text = dump(voteNoLogCheck());
    CHECK(errorOf(text.substr(0, text.size() / 2)).find("m.json: not valid JSON at byte") == 0);
    CHECK(errorOf(edited("\"engine\": \"model\"", "\"engine\": \"quantum\"")) ==
          "m.json: field 'engine': unknown engine 'quantum' (simulator or model)");
    CHECK(errorOf(edited("\"format\": 1", "\"format\": 2")) ==
          "m.json: field 'format': version 2 is not supported (this raftsim reads version 1)");
    CHECK(errorOf(edited("\"nodes\": 3", "\"nodes\": \"3\"")) ==
          "m.json: field 'bounds.nodes': expected an unsigned integer, got string");
    CHECK(errorOf(edited("{\"i\":1,\"k\":\"timeout\",\"n\":", "{\"i\":1,\"k\":\"timeout\",\"node\":")) ==
          "m.json: field 'events[0].n': missing");
    CHECK(errorOf(edited("\"kind\":\"RequestVote\"", "\"kind\":\"Gossip\"")).find("field 'events[") != std::string::npos);
    CHECK(errorOf(edited("\"kind\":\"RequestVote\"", "\"kind\":\"Gossip\"")).find("msg.kind': unknown name 'Gossip'") !=
          std::string::npos);
    CHECK(errorOf(edited("\"bugs\": [\"vote-no-log-check\"]", "\"bugs\": [\"no-such-bug\"]")) ==
          "m.json: field 'bounds.bugs[0]': unknown bug 'no-such-bug' (see `raftsim bugs`)");
    CHECK(errorOf(edited("\"event\": 8", "\"event\": 9")) == "m.json: field 'verdict.event': no step 9 among 8");
    for (const std::string& bad : {edited("\"vote\":null", "\"vote\":7"), edited("\"flight\":", "\"flite\":"),
                                   edited("\"role\":\"candidate\"", "\"role\":\"king\"")}) {
        const std::string error = errorOf(bad);
        CHECK(error.find("m.json: field 'events[") == 0);
        CHECK(error.find('\n') == std::string::npos);
    }
}

TEST_CASE("modelTrace_isRefusedWhereOnlySimulatorTracesGo") {
    CHECK_THROWS_WITH_AS(parseTrace(dump(voteNoLogCheck()), "m.json"),
                         doctest::Contains("m.json: field 'engine': a model-checker trace"), TraceError);
    const std::string sim = dump(record(testing::busyOptions(2), 2));
    CHECK(std::holds_alternative<Trace>(parseAnyTrace(sim, "s.json")));
}

TEST_CASE("stepper_model_showsEveryNodeAndTheMessagesInFlight") {
    const mc::ModelTrace& t = voteNoLogCheck();
    std::ostringstream out;
    printInitial(out, t);
    (void)mc::rerun(t, modelStepper(out, t));
    const std::string text = out.str();
    CHECK(text.find("initial state (--nodes 3 ") == 0);
    CHECK(text.find("  n0 follower  t0 vote=- commit=0 log=[]\n") != std::string::npos);
    CHECK(text.find("\nstep 1: timeout node ") != std::string::npos);
    CHECK(text.find("> n0 candidate t1 vote=0 commit=0 log=[]\n") != std::string::npos);
    CHECK(text.find("  in flight:\n    RequestVote ") != std::string::npos);
    CHECK(text.find("\nstep 8: ") != std::string::npos);
    CHECK(text.find("\nstep 9: ") == std::string::npos);
}

TEST_CASE("stepper_simulator_showsEveryNodeAfterEveryEvent") {
    const Trace t = record(testing::busyOptions(3), 3);
    std::ostringstream out;
    (void)rerun(t, simStepper(out));
    const std::string text = out.str();
    CHECK(text.find("event 1 t=") == 0);
    CHECK(text.find(fmt::format("\nevent {} t=", t.events.size())) != std::string::npos);
    CHECK(text.find("  n4 ") != std::string::npos);
    CHECK(text.find(" leader    t") != std::string::npos);
}

TEST_CASE("nodeLine_isCompact_andFoldsRunsOfOneTerm") {
    mc::NodeRecord n{false, raft::Role::Leader, 2, 0, 1, {1, 2}};
    CHECK(nodeLine(0, n) == "n0 leader    t2 vote=0 commit=1 log=[1,2]");
    n.log = {1, 1, 2, 2, 2, 2, 3};
    n.down = true;
    n.votedFor = raft::kNoNode;
    CHECK(nodeLine(4, n) == "n4 down      t2 vote=- commit=1 log=[1,1,2x4,3]");
}

TEST_CASE("nodeLine_withConfigurations_showsVotersLearnersAndTheSnapshot") {
    mc::NodeRecord n{false, raft::Role::Follower, 3, 0, 4, {2, 3}};
    n.shown = true;
    n.voters = 0b0111;
    n.learners = 0b1000;
    n.snapshotIndex = 3;
    n.snapshotTerm = 1;
    CHECK(nodeLine(1, n) == "n1 follower  t3 vote=0 commit=4 log=[snap(3,t1),2,3] voters={0,1,2} learners={3}");
    n.log.clear();
    n.learners = 0;
    CHECK(nodeLine(1, n) == "n1 follower  t3 vote=0 commit=4 log=[snap(3,t1)] voters={0,1,2}");
}

TEST_CASE("modelTrace_withMembershipChanges_recordsConfigurations_andOldTracesWithoutThemStillReplay") {
    mc::Bounds b = *mc::presetByName("membership");
    b.bugs.enable(raft::Bug::RemovedLeaderStays);
    const mc::SearchResult r = mc::search(b, mc::SearchOptions{});
    REQUIRE(r.counterexample.has_value());
    const mc::ModelTrace t = mc::record(b, *r.counterexample, "raftsim check --preset membership --bug removed-leader-stays");
    REQUIRE(t.records.back().nodes.size() == 2);
    CHECK(t.records.back().nodes[1].shown);
    CHECK(t.records.back().nodes[1].voters == 0b10);
    const std::string text = dump(t);
    CHECK(text.find("\"voters\":[1],\"learners\":[],\"snapshot\":[0,0]") != std::string::npos);
    const mc::ModelTrace read = parseModelTrace(text, "m.json");
    CHECK(read.records == t.records);
    CHECK(dump(read) == text);
    CHECK_MESSAGE(replayOf(read).identical, replayOf(read).report);
    // Written before records held configurations: no fields, and still identical.
    mc::ModelTrace old = t;
    for (mc::StepRecord& rec : old.records) {
        for (mc::NodeRecord& n : rec.nodes) n = mc::NodeRecord{n.down, n.role, n.currentTerm, n.votedFor, n.commitIndex, n.log};
    }
    CHECK(dump(old).find("\"voters\"") == std::string::npos);
    CHECK(replayOf(parseModelTrace(dump(old), "m.json")).identical);
    // But a configuration that is there must be the one the replay finds.
    mc::ModelTrace edited = t;
    edited.records.back().nodes[1].voters = 0b11;
    CHECK_FALSE(replayOf(edited).identical);
    CHECK(errorOf(std::string(text).replace(text.find("\"voters\":[1]"), 12, "\"voters\":[1,1]")).find("server 1 twice") !=
          std::string::npos);
}

TEST_CASE("asSimulatorTrace_stepsAreTime_andDeliveriesPointAtTheirSender") {
    const mc::ModelTrace& path = voteNoLogCheck();
    const Trace t = asSimulatorTrace(path);
    REQUIRE(t.events.size() == 8);
    CHECK(t.options.nodes == 3);
    for (std::size_t k = 0; k < t.events.size(); ++k) {
        CAPTURE(k);
        const sim::EventRecord& e = t.events[k];
        CHECK(e.timeUs == static_cast<sim::Micros>(k + 1));
        CHECK(e.node == path.steps[k].event.node);
        CHECK(e.term == path.records[k].nodes[e.node].currentTerm);
        if (e.kind != sim::EventKind::Deliver) continue;
        // The sender's step is earlier and was taken by the message's sender.
        REQUIRE(e.sentEvent >= 1);
        CHECK(e.sentEvent <= k);
        CHECK(path.steps[e.sentEvent - 1].event.node == e.from);
    }
    CHECK(t.events[1].sentEvent == 1);  // RequestVote 0->1, sent by the timeout at step 1
    CHECK(t.events.back().kind == sim::EventKind::Deliver);
    CHECK(t.events.back().role == raft::Role::Leader);
}

}  // namespace traces
