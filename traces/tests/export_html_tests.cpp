// The html export: one self-contained page (nothing fetched from the network), the same
// bytes twice, and data from which the page rebuilds every node as the trace recorded it.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "traces/export_html.hpp"
#include "sim/mc/explore.hpp"
#include "sim/world.hpp"
#include "traces/lin_witness.hpp"
#include "traces/model_replay.hpp"
#include "traces/tests/helpers.hpp"

using traces::HtmlJson;

namespace {

HtmlJson dataOf(const std::string& page) {
    const std::string open = "<script id=\"trace-data\" type=\"application/json\">";
    const std::size_t from = page.find(open);
    REQUIRE(from != std::string::npos);
    const std::size_t to = page.find("</script>", from);
    return HtmlJson::parse(page.substr(from + open.size(), to - from - open.size()));
}

struct Shown {
    int role = 0;
    int term = 0;
    int vote = -1;
    int commit = 0;
    std::vector<int> log;
    HtmlJson conf;  // [voters, learners, snapshot index], or null until shown
};

// What the page's script does: apply each frame's rows in turn.
std::vector<Shown> replay(const HtmlJson& data, std::size_t upTo) {
    std::vector<Shown> nodes(data["nodes"].get<std::size_t>());
    for (std::size_t f = 0; f <= upTo; ++f) {
        const HtmlJson& frame = data["frames"][f];
        if (!frame.contains("d")) continue;
        for (const HtmlJson& row : frame["d"]) {
            Shown& n = nodes[row[0].get<std::size_t>()];
            n.role = row[1];
            n.term = row[2];
            n.vote = row[3];
            n.commit = row[4];
            n.log.resize(std::min(n.log.size(), row[5].get<std::size_t>()));
            for (const HtmlJson& t : row[6]) n.log.push_back(t);
            n.conf = row.size() > 8 ? row[8] : HtmlJson();
        }
    }
    return nodes;
}

void selfContained(const std::string& page) {
    CHECK(page.find("<script src") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.find("@DATA@") == std::string::npos);
    CHECK(page.find("@SCRIPT@") == std::string::npos);
    std::size_t urls = 0;
    for (std::size_t at = page.find("http"); at != std::string::npos; at = page.find("http", at + 1)) {
        urls += page.compare(at, 26, "http://www.w3.org/2000/svg") == 0 ? 0 : 1;
    }
    CHECK(urls == 0);
}

}  // namespace

TEST_CASE("export html: a simulator trace, every node at every 100th event as the replay shows it") {
    const traces::Trace t = traces::record(traces::testing::busyOptions(3), 3);
    const std::string page = traces::exportHtml(t, "seed 3");
    selfContained(page);
    CHECK(traces::exportHtml(t, "seed 3") == page);
    const HtmlJson data = dataOf(page);
    CHECK(data["engine"] == "simulator");
    REQUIRE(data["frames"].size() == t.events.size() + 1);
    for (std::size_t k = 0; k < t.events.size(); k += 100) {
        const sim::EventRecord& e = t.events[k];
        if (e.node == raft::kNoNode || !e.up) continue;
        const Shown n = replay(data, k + 1)[e.node];
        CHECK(n.role == static_cast<int>(e.role));
        CHECK(n.term == static_cast<int>(e.term));
        CHECK(n.commit == static_cast<int>(e.commitIndex));
        CHECK(n.log.size() == e.lastIndex);
    }
}

TEST_CASE("export html: configurations and snapshots, shown once a node has either (thesis §4.1, §5.1)") {
    sim::SimOptions o = traces::testing::busyOptions(2);
    o.nodes = 3;
    o.membership = true;
    o.snapshotEvery = 8;
    const traces::Trace t = traces::record(o, 2);
    const HtmlJson data = dataOf(traces::exportHtml(t, "seed 2"));
    sim::World w(o, 2);
    w.run();
    const std::vector<Shown> shown = replay(data, data["frames"].size() - 1);
    REQUIRE(shown.size() == static_cast<std::size_t>(w.nodeCount()));
    int withConf = 0;
    for (raft::NodeId i = 0; i < w.nodeCount(); ++i) {
        CAPTURE(i);
        const raft::Node* n = w.node(i);
        if (n == nullptr) continue;
        if (n->membershipIndex() == 0 && n->log().snapshotIndex() == 0) {
            CHECK(shown[i].conf.is_null());
            continue;
        }
        withConf += 1;
        REQUIRE(shown[i].conf.is_array());
        CHECK(shown[i].conf[0] == static_cast<int>(n->membership().voters));
        CHECK(shown[i].conf[1] == static_cast<int>(n->membership().learners));
        CHECK(shown[i].conf[2] == n->log().snapshotIndex());
    }
    CHECK(withConf > 0);
    // A trace with neither shows none (its page is as before).
    const HtmlJson plain = dataOf(traces::exportHtml(traces::record(traces::testing::busyOptions(3), 3), "seed 3"));
    for (const Shown& n : replay(plain, plain["frames"].size() - 1)) CHECK(n.conf.is_null());
}

TEST_CASE("export html: a model trace, every node after every step as recorded, and the violation") {
    mc::ModelTrace path;
    path.bounds.nodes = 3;
    path.bounds.maxTerm = 3;
    path.bounds.maxLog = 1;
    path.bounds.bugs.enable(raft::Bug::VoteNoLogCheck);
    const mc::SearchResult r = mc::search(path.bounds, mc::SearchOptions{});
    REQUIRE(r.counterexample);
    path = mc::record(path.bounds, *r.counterexample);
    const std::string page = traces::exportHtml(path, "cex");
    selfContained(page);
    CHECK(traces::exportHtml(path, "cex") == page);
    const HtmlJson data = dataOf(page);
    CHECK(data["engine"] == "model");
    CHECK(data["verdict"]["property"] == path.verdict->property);
    CHECK(data["verdict"]["at"] == path.steps.size());
    REQUIRE(data["frames"].size() == path.steps.size() + 1);
    for (std::size_t k = 0; k < path.steps.size(); ++k) {
        const std::vector<Shown> shown = replay(data, k + 1);
        for (std::size_t i = 0; i < shown.size(); ++i) {
            const mc::NodeRecord& rec = path.records[k].nodes[i];
            CHECK(shown[i].term == static_cast<int>(rec.currentTerm));
            CHECK(shown[i].role == (rec.down ? 3 : static_cast<int>(rec.role)));
            if (!rec.down) CHECK(shown[i].log == std::vector<int>(rec.log.begin(), rec.log.end()));
        }
    }
}

// The client history: every operation, those of the linearizability witness flagged, and
// a legend naming the verdict; for a linearizable history, no flag and no legend.
TEST_CASE("export html: the linearizability witness is highlighted in the client history") {
    const traces::Trace t = traces::record(traces::testing::linFailingOptions(), traces::testing::kLinFailingSeed);
    REQUIRE(t.witness.has_value());
    const HtmlJson data = dataOf(traces::exportHtml(t, "lin"));
    REQUIRE(data.contains("lin"));
    CHECK(data["lin"]["verdict"] == "violated");
    CHECK(data["lin"]["title"] == traces::witnessTitle(*t.witness));
    std::vector<std::string> flagged;
    for (const HtmlJson& op : data["ops"]) {
        if (op[4] == 1) flagged.push_back(op[1]);
    }
    std::vector<std::string> expected;
    for (const sim::Operation& op : t.witness->witness.ops) expected.push_back(sim::lin::describe(op));
    std::sort(flagged.begin(), flagged.end());
    std::sort(expected.begin(), expected.end());
    CHECK(flagged == expected);
    const sim::Operation& first = t.witness->witness.ops.front();
    bool found = false;
    for (const HtmlJson& op : data["ops"]) {
        if (op[1] == sim::lin::describe(first)) found = op[2] == first.invokeEvent;
    }
    CHECK(found);

    const traces::Trace passing = traces::record(traces::testing::busyOptions(3), 3);
    const HtmlJson other = dataOf(traces::exportHtml(passing, "held"));
    CHECK_FALSE(other.contains("lin"));
    REQUIRE(other["ops"].size() > 10);
    for (const HtmlJson& op : other["ops"]) CHECK(op[4] == 0);
}
