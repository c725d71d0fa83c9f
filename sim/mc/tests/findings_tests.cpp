// The model checker explains violations through the catalogue's findings
// (sim/findings.hpp), word for word as the simulator does.
#include <doctest/doctest.h>

#include "sim/findings.hpp"
#include "sim/mc/invariants.hpp"

using namespace sim;

TEST_CASE("the model checker reports through the same findings as the simulator") {
    // Two leaders of one term, in the model: the message is the simulator's.
    raft::Config config;
    config.clusterSize = 3;
    mc::State next{};
    next.leaderOf.fill(raft::kNoNode);
    mc::Observed seen;
    raft::Node a(config), b([&] {
        raft::Config c = config;
        c.id = 1;
        return c;
    }());
    auto lead = [](raft::Node& n) {
        n.step(raft::Timeout{raft::Timer::Election});
        n.step(raft::Persisted{n.currentTerm(), n.log().lastIndex(), n.log().lastTerm()});
        raft::Message grant;
        grant.kind = raft::MsgKind::RequestVoteResponse;
        grant.term = n.currentTerm();
        grant.from = n.id() == 0 ? 2 : 0;
        grant.to = n.id();
        grant.success = true;
        return n.step(raft::Receive{grant});
    };
    const raft::Node a0 = a, b0 = b;
    lead(a);
    lead(b);
    REQUIRE(a.role() == raft::Role::Leader);
    REQUIRE(b.role() == raft::Role::Leader);
    const raft::Node* others[] = {&a};
    CHECK(!mc::checkStep(a0, a, std::span<const raft::Node* const>(others, 0), next, seen));
    const std::optional<mc::McViolation> v = mc::checkStep(b0, b, others, next, seen);
    REQUIRE(v);
    CHECK(v->property == "election-safety");
    CHECK(v->details == findings::twoLeaders(0, 1, 1).details);
}

