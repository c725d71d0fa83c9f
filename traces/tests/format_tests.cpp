// The JSON format: exact round trips, and one clear error for every kind of bad input.
#include <doctest/doctest.h>

#include <string>

#include "traces/json_read.hpp"
#include "traces/json_write.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

using testing::errorOf;

// The text of a small trace with one textual edit.
std::string edited(const std::string& from, const std::string& to) {
    std::string text = testing::replacedOnce(dump(record(testing::busyOptions(2), 2)), from, to);
    REQUIRE_FALSE(text.empty());
    return text;
}

}  // namespace

TEST_CASE("writeReadWrite_isByteIdentical_forFailingAndPassingRuns") {
    const Trace failing = record(testing::withBug(testing::busyOptions(3), raft::Bug::VoteNoLogCheck), 3, "repro \"quoted\"");
    const Trace passing = record(testing::busyOptions(4), 4);
    REQUIRE(failing.verdict.has_value());
    CHECK_FALSE(passing.verdict.has_value());
    for (const Trace* t : {&failing, &passing}) {
        const std::string first = dump(*t);
        const Trace read = parseTrace(first, "t.json");
        CHECK(read.script == t->script);
        CHECK(read.events == t->events);
        CHECK(read.options.faults.nemesisKinds == t->options.faults.nemesisKinds);
        CHECK(read.options.bugs == t->options.bugs);
        CHECK(read.repro == t->repro);
        CHECK(dump(read) == first);
    }
}

TEST_CASE("checkLinearizability_isWrittenOnlyWhenOff_andReadBack") {
    const std::string on = dump(record(testing::busyOptions(4), 4));
    CHECK(on.find("checkLinearizability") == std::string::npos);  // default traces are as before
    CHECK(parseTrace(on, "t.json").options.checkLinearizability);
    sim::SimOptions o = testing::busyOptions(4);
    o.checkLinearizability = false;
    const std::string off = dump(record(o, 4));
    CHECK(off.find("\"checkLinearizability\": false") != std::string::npos);
    const Trace read = parseTrace(off, "t.json");
    CHECK_FALSE(read.options.checkLinearizability);
    CHECK(dump(read) == off);
}

TEST_CASE("dump_putsOneEventPerLine") {
    const Trace t = record(testing::busyOptions(5), 5);
    const std::string text = dump(t);
    std::size_t lines = 0;
    for (const char c : text) lines += c == '\n';
    CHECK(lines > t.events.size());
    CHECK(text.find("\n    {\"i\":1,") != std::string::npos);
}

TEST_CASE("parse_truncatedJson_namesFileAndByte") {
    const std::string text = dump(record(testing::busyOptions(2), 2));
    const std::string error = errorOf(text.substr(0, text.size() / 2));
    CHECK(error.find("t.json: not valid JSON at byte") == 0);
    CHECK(error.find("truncated") != std::string::npos);
}

TEST_CASE("parse_unknownVersion_isRejected") {
    const std::string error = errorOf(edited("\"format\": 1", "\"format\": 7"));
    CHECK(error == "t.json: field 'format': version 7 is not supported (this raftsim reads versions 1 and 2)");
}

TEST_CASE("parse_version2_isLogCompactionExactly") {
    // A run without snapshots is version 1: as version 2 it is refused, naming the field.
    const std::string error = errorOf(edited("\"format\": 1", "\"format\": 2"));
    CHECK(error == "t.json: field 'format': version 2 for a run without snapshots or membership changes: "
                   "version 2 is exactly the runs with log compaction (options.snapshotEvery) or membership "
                   "changes (options.membership)");
}

TEST_CASE("parse_missingField_namesItsPath") {
    CHECK(errorOf(edited("\"nodes\": 5,", "")) == "t.json: field 'options.nodes': missing");
    CHECK(errorOf(edited("\"dropPpm\":20000,", "")) == "t.json: field 'options.faults.dropPpm': missing");
}

TEST_CASE("parse_mistypedField_namesItsPathAndType") {
    CHECK(errorOf(edited("\"nodes\": 5,", "\"nodes\": \"five\",")) ==
          "t.json: field 'options.nodes': expected an unsigned integer, got string");
    CHECK(errorOf(edited("\"checkQuorum\": false", "\"checkQuorum\": 0")) ==
          "t.json: field 'options.checkQuorum': expected true or false, got number");
    CHECK(errorOf(edited("{\"i\":1,", "{\"i\":-1,")).find("field 'events[0].i'") != std::string::npos);
}

TEST_CASE("parse_configurationThatCannotReplay_isRejected") {
    CHECK(errorOf(edited("\"bugs\": []", "\"bugs\": [\"no-such-bug\"]")) ==
          "t.json: field 'options.bugs[0]': unknown bug 'no-such-bug' (see `raftsim bugs`)");
    // Five nodes' timer tapes, but the configuration now has four nodes.
    CHECK(errorOf(edited("\"nodes\": 5,", "\"nodes\": 4,")).find("t.json: field '") == 0);
    CHECK(errorOf(edited("\"nodes\": 5,", "\"nodes\": 10,")) == "t.json: field 'options.nodes': 10 is above the limit 9");
    CHECK(errorOf(edited("\"k\":\"", "\"k\":\"teleport")).find("unknown name") != std::string::npos);
}

TEST_CASE("readTrace_missingFile_namesIt") {
    CHECK_THROWS_WITH_AS(readTrace("/nonexistent/x.json"), "/nonexistent/x.json: cannot open", TraceError);
}

TEST_CASE("parse_errorsAreOneLine") {
    for (const std::string& text : {std::string("{"), std::string("[]"), std::string("{\"format\":1}"),
                                    std::string("{\"format\":1,\"producer\":2}")}) {
        const std::string error = errorOf(text);
        CHECK(error.find('\n') == std::string::npos);
        CHECK(error.find("t.json") == 0);
    }
}

}  // namespace traces

namespace traces {

// The liveness phase restarts crashed nodes: a cluster event that steps nodes without
// naming one. Such a trace reads back (it was once refused as "missing node").
TEST_CASE("writeRead_clusterEventThatStepsNodes_readsBack") {
    sim::SimOptions o;
    o.nodes = 3;
    o.faults = sim::swarmFaults(3);
    sim::swarmCluster(3, o);
    const Trace t = record(o, 3);
    const auto restartsAtLiveness = [](const sim::EventRecord& e) {
        return e.kind == sim::EventKind::Liveness && e.stepped && e.node == raft::kNoNode;
    };
    REQUIRE(std::any_of(t.events.begin(), t.events.end(), restartsAtLiveness));
    const std::string text = dump(t);
    CHECK(dump(parseTrace(text, "t.json")) == text);
}

}  // namespace traces
