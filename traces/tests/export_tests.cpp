// Exports: ShiViz's vector-clock rules, and the Perfetto fields the viewer needs.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "traces/export.hpp"
#include "traces/lin_witness.hpp"
#include "traces/tests/helpers.hpp"

namespace traces {

namespace {

using Json = nlohmann::json;
using Clock = std::map<std::string, std::uint64_t>;

struct ShivizEvent {
    std::string host;
    Clock clock;
};

std::vector<ShivizEvent> parseShiviz(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    CHECK(line == kShivizRegex);
    std::getline(in, line);
    CHECK(line.empty());
    std::vector<ShivizEvent> events;
    while (std::getline(in, line)) {
        const auto space = line.find(' ');
        REQUIRE(space != std::string::npos);
        ShivizEvent e{line.substr(0, space), {}};
        const Json clock = Json::parse(line.substr(space + 1));
        for (const auto& [host, value] : clock.items()) e.clock[host] = value.get<std::uint64_t>();
        std::string description;
        REQUIRE(std::getline(in, description));
        CHECK_FALSE(description.empty());
        events.push_back(std::move(e));
    }
    return events;
}

// ShiViz's rules (its ModelGraph): a host's own entries count 1, 2, 3, ...; every entry
// names a host that logs events, with a value between 1 and that host's event count;
// and a clock dominates the clocks of the events it names (causality is transitive).
void checkShivizRules(const std::vector<ShivizEvent>& events) {
    std::map<std::string, std::vector<Clock>> byHost;
    for (const ShivizEvent& e : events) {
        REQUIRE(e.clock.contains(e.host));
        CHECK(e.clock.at(e.host) == byHost[e.host].size() + 1);
        byHost[e.host].push_back(e.clock);
    }
    for (const ShivizEvent& e : events) {
        for (const auto& [host, value] : e.clock) {
            REQUIRE(byHost.contains(host));
            REQUIRE(value >= 1);
            REQUIRE(value <= byHost[host].size());
            for (const auto& [h, v] : byHost[host][value - 1]) {
                CHECK(e.clock.contains(h));
                if (e.clock.contains(h)) CHECK(e.clock.at(h) >= v);
            }
        }
    }
}

Trace linFailing() { return record(testing::linFailingOptions(), testing::kLinFailingSeed); }

Trace busyFailing() {
    return record(testing::withBug(testing::busyOptions(3), raft::Bug::VoteNoLogCheck), 3);
}

}  // namespace

TEST_CASE("shiviz_clocksObeyShivizRules") {
    for (const Trace& t : {busyFailing(), record(testing::busyOptions(6), 6)}) {
        const std::vector<ShivizEvent> events = parseShiviz(exportShiviz(t));
        CHECK(events.size() > 100);
        checkShivizRules(events);
    }
}

TEST_CASE("shiviz_receiveMergesTheSendersClock") {
    const std::vector<ShivizEvent> events = parseShiviz(exportShiviz(busyFailing()));
    std::size_t merged = 0;
    for (const ShivizEvent& e : events) merged += e.clock.size() > 1;
    CHECK(merged > events.size() / 2);
}

TEST_CASE("perfetto_hasTheFieldsTheViewerNeeds") {
    const Trace t = busyFailing();
    const Json doc = Json::parse(exportPerfetto(t));
    REQUIRE(doc.contains("traceEvents"));
    std::set<std::int64_t> namedThreads;
    std::map<std::uint64_t, std::pair<int, int>> flows;  // id -> (starts, finishes)
    std::size_t roleSlices = 0, instants = 0;
    for (const Json& e : doc["traceEvents"]) {
        REQUIRE(e.contains("ph"));
        REQUIRE(e.contains("name"));
        REQUIRE(e.contains("pid"));
        REQUIRE(e.contains("tid"));
        const std::string ph = e["ph"];
        if (ph == "M") {
            if (e["name"] == "thread_name") namedThreads.insert(e["tid"].get<std::int64_t>());
            CHECK(e["args"].contains("name"));
            continue;
        }
        REQUIRE(e.contains("ts"));
        CHECK(e["ts"].get<std::int64_t>() >= 0);
        if (ph == "X") {
            REQUIRE(e.contains("dur"));
            CHECK(e["dur"].get<std::int64_t>() >= 0);
            roleSlices += e["cat"] == "role";
        } else if (ph == "s" || ph == "f") {
            CHECK(e["bp"] == "e");
            auto& [starts, finishes] = flows[e["id"].get<std::uint64_t>()];
            (ph == "s" ? starts : finishes) += 1;
        } else {
            CHECK(ph == "i");
            instants += 1;
        }
        CHECK(namedThreads.contains(e["tid"].get<std::int64_t>()));
    }
    for (raft::NodeId n = 0; n < t.options.nodes; ++n) CHECK(namedThreads.contains(n + 1));
    std::size_t delivered = 0;
    for (const sim::EventRecord& e : t.events) delivered += e.kind == sim::EventKind::Deliver && e.stepped;
    CHECK(flows.size() == delivered);
    for (const auto& [id, ends] : flows) CHECK(ends == std::make_pair(1, 1));
    CHECK(roleSlices >= static_cast<std::size_t>(t.options.nodes));
    CHECK(instants > 0);
}

TEST_CASE("perfetto_flowGoesForwardInTime_fromSenderToReceiver") {
    const Trace t = busyFailing();
    const Json doc = Json::parse(exportPerfetto(t));
    std::map<std::uint64_t, std::int64_t> startTs;
    for (const Json& e : doc["traceEvents"]) {
        if (e["ph"] == "s") startTs[e["id"].get<std::uint64_t>()] = e["ts"].get<std::int64_t>();
    }
    for (const Json& e : doc["traceEvents"]) {
        if (e["ph"] != "f") continue;
        const sim::EventRecord& received = t.events[e["id"].get<std::uint64_t>() - 1];
        CHECK(e["tid"].get<int>() == received.node + 1);
        CHECK(startTs.at(e["id"].get<std::uint64_t>()) <= e["ts"].get<std::int64_t>());
    }
}

// The linearizability witness: a slice per operation on a track of its own in Perfetto,
// an event of its client's host tagged lin-witness in ShiViz; neither for other traces.
TEST_CASE("exports_markTheLinearizabilityWitness_onlyWhenTheHistoryIsNotLinearizable") {
    const Trace t = linFailing();
    REQUIRE(t.witness.has_value());
    const Json doc = Json::parse(exportPerfetto(t));
    std::size_t slices = 0;
    bool track = false;
    for (const Json& e : doc["traceEvents"]) {
        if (e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == witnessTitle(*t.witness)) track = true;
        if (e.value("cat", "") != "lin-witness") continue;
        const sim::Operation& op = t.witness->witness.ops.at(slices++);
        CHECK(e["name"] == sim::lin::describe(op));
        CHECK(e["ts"].get<std::int64_t>() == op.invokeUs);
        CHECK(e["args"]["invokeEvent"] == op.invokeEvent);
    }
    CHECK(track);
    CHECK(slices == t.witness->witness.ops.size());

    const std::string shiviz = exportShiviz(t);
    const std::vector<ShivizEvent> events = parseShiviz(shiviz);
    checkShivizRules(events);
    std::size_t tagged = 0;
    for (const auto& entry : witnessMarks(*t.witness)) {
        const std::uint64_t event = entry.first;
        CAPTURE(event);
        tagged += 1;
        CHECK(shiviz.find(fmt::format("\n#{} t={}us {}\n", event, t.events[event - 1].timeUs, markText(entry.second))) !=
              std::string::npos);
    }
    std::size_t clientEvents = 0;
    for (const ShivizEvent& e : events) clientEvents += e.host.starts_with("c");
    CHECK(clientEvents == tagged);

    for (const Trace& other : {busyFailing(), record(testing::busyOptions(6), 6)}) {
        REQUIRE_FALSE(other.witness.has_value());
        CHECK(exportPerfetto(other).find("lin-witness") == std::string::npos);
        CHECK(exportShiviz(other).find("lin-witness") == std::string::npos);
    }
}

}  // namespace traces
