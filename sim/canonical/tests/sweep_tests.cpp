// canonical/raft 0.15 under raftsim's swarm of faults: the seeds that break a property
// are pinned, property by property, to the findings explained in README.md
// ("canonical/raft findings"); anything else is a new finding (or an adapter mistake).
#include <doctest/doctest.h>

#include "sim/canonical/canonical.hpp"
#include "sim/canonical/tests/sweep_helpers.hpp"

using canonical_tests::sweep;

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical sweep: 1000 seeds of 1..5 nodes break only the known findings") {
    auto r = sweep(sim::canonical::implementation(), 1000, 1, 5, /*byNodes=*/true);
    CAPTURE(r.held);
    for (const auto& entry : r.violated) {  // no structured bindings: CAPTURE captures them
        const std::string& key = entry.first;
        const int seeds = entry.second;
        CAPTURE(key);
        CAPTURE(seeds);
        // Finding 1: a follower acknowledges a heartbeat up to its last stored entry,
        // leftovers of older terms included, and the leader counts them as matching.
        // Finding 2: a single voter re-elects itself at the same term after a restart
        // and writes a different entry at an (index, term) it used before.
        CHECK((key == "commit-quorum@3" || key == "commit-quorum@5" || key == "log-matching@1"));
    }
    // Pinned: the same binary and seeds give the same findings.
    CHECK(r.violated["commit-quorum@3"] + r.violated["commit-quorum@5"] == 31);
    CHECK(r.violated["log-matching@1"] == 66);
    CHECK(r.held == 903);
}

TEST_CASE("canonical sweep: judged by figure 2 in full, canonical/raft keeps terms it disregards") {
    // canonical-strict: a server that knows a leader drops a RequestVote unread (thesis
    // §4.2.3), and a stale response is dropped before its term is read.
    auto r = sweep(sim::canonical::strictImplementation(), 100, 3, 5);
    CHECK(r.violated["higher-term-adopted"] > 50);
}

// Leadership transfer (thesis §3.10) through raft_transfer: the library's TimeoutNow
// travels as raftsim's, and the transfer properties (no proposal accepted while it
// transfers, a transfer that ends) hold for it.
TEST_CASE("canonical sweep: leadership transfers complete and break nothing new") {
    std::uint64_t accepted = 0;
    std::uint64_t completed = 0;
    std::map<std::string, int> violated;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        sim::SimOptions o = canonical_tests::sweepOptions(seed, sim::canonical::implementation(), 3, 5);
        o.transfer = true;
        const sim::RunResult r = sim::World(o, seed).run();
        accepted += r.stats.transfersAccepted;
        completed += r.stats.transfersCompleted;
        if (r.violation) violated[r.violation->property] += 1;
    }
    CHECK(accepted > 500);
    CHECK(completed > 300);
    for (const auto& entry : violated) {  // no structured bindings: CAPTURE captures them
        const std::string& property = entry.first;
        const int seeds = entry.second;
        CAPTURE(property);
        CAPTURE(seeds);
        CHECK(property == "commit-quorum");  // finding 1, as without transfers
    }
}

TEST_SUITE_END();
