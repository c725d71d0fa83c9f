#include <doctest/doctest.h>

#include "core/node.hpp"

using namespace raft;

TEST_CASE("smoke: a single node elects itself") {
    Node n(Config{.id = 0, .clusterSize = 1});
    n.step(Start{});
    n.step(Timeout{Timer::Election});
    CHECK(n.role() == Role::Leader);
    CHECK(n.commitIndex() == 1);
}
