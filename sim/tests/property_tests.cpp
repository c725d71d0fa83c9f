// The property catalogue (sim/property.hpp) and its findings (sim/findings.hpp): one
// name, rank and message per property, for both engines.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "sim/findings.hpp"
#include "sim/property.hpp"

using namespace sim;

TEST_SUITE_BEGIN("properties");

TEST_CASE("every property has one distinct name, a statement and a source, in rank order") {
    std::set<std::string_view> names;
    int rank = 0;
    for (const PropertyInfo& info : propertyCatalog()) {
        CAPTURE(info.name);
        CHECK(names.insert(info.name).second);
        CHECK(!info.statement.empty());
        CHECK(!info.source.empty());
        CHECK(propertyRank(info.name) == rank++);
        CHECK(propertyByName(info.name) == info.property);
        CHECK(name(info.property) == info.name);
    }
    CHECK(rank == static_cast<int>(Property::Count_));
    CHECK(!propertyByName("no-such-property"));
    CHECK(propertyRank("no-such-property") == rank);  // after every property
}

TEST_CASE("the paper's five properties come first, in figure 3's order") {
    CHECK(propertyRank("election-safety") == 0);
    CHECK(propertyRank("leader-append-only") == 1);
    CHECK(propertyRank("log-matching") == 2);
    CHECK(propertyRank("leader-completeness") == 3);
    CHECK(propertyRank("state-machine-safety") == 4);
}

TEST_CASE("what needs disks, clients or a clock is the simulator's alone") {
    for (const char* n : {"single-vote", "durable-before-ack", "durability",
                          "apply-once-in-order", "liveness"}) {
        CAPTURE(n);
        REQUIRE(propertyByName(n));
        CHECK(propertyInfo(*propertyByName(n)).engines == Engines::Simulator);
    }
    CHECK(propertyInfo(Property::CommitQuorum).engines == Engines::Both);
    CHECK(propertyInfo(Property::RemovedLeaderStepsDown).engines == Engines::Both);
}

TEST_CASE("a finding names its property and the values involved") {
    const Finding f = findings::twoLeaders(0, 2, 5);
    CHECK(f.property == Property::ElectionSafety);
    CHECK(f.details == "nodes 0 and 2 are both leaders of term 5");
    const Finding g = findings::logsDiffer(1, 3, 2, 4);
    CHECK(g.property == Property::LogMatching);
    CHECK(g.details.find("node 4's entry") != std::string::npos);
    CHECK(findings::logsDiffer(1, 3, 2).details.find("another node's entry") != std::string::npos);
    CHECK(findings::diskDiffers(1, 3, raft::kNoNode, 4, 2, 0, 1).details ==
          "node 1 believes term=3 votedFor=255 lastIndex=4 but its disk holds term=2 "
          "votedFor=0 lastIndex=1");
}

TEST_SUITE_END();
