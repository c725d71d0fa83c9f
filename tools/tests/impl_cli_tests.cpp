// --impl: another Raft behind the node seam, here raftsim's core in a process of its own
// speaking the process protocol (tools/process_node/), run, checked, reported and
// replayed like the core itself.
#include <doctest/doctest.h>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::readFile;
using cli::Run;

namespace {

const std::string kNode = std::string("'process:") + PROCESS_NODE_PATH;

}  // namespace

TEST_CASE("impl: a sweep through the process protocol matches the core in process, seed for seed") {
    const Run core = raftsim("sweep --count 30 --nodes 1..5 --time 3");
    const Run process = raftsim("sweep --count 30 --nodes 1..5 --time 3 --impl " + kNode + "'");
    CHECK(core.code == 0);
    CHECK(process.code == 0);
    CHECK(cli::withoutWallClock(process.out) == cli::withoutWallClock(core.out));
}

TEST_CASE("impl: PreVote crosses the process protocol too") {
    const Run core = raftsim("sweep --count 12 --time 3 --pre-vote on");
    const Run process = raftsim("sweep --count 12 --time 3 --pre-vote on --impl " + kNode + "'");
    CHECK(process.code == 0);
    CHECK(cli::withoutWallClock(process.out) == cli::withoutWallClock(core.out));
}

TEST_CASE("impl: leadership transfers cross the process protocol too (thesis §3.10)") {
    const Run core = raftsim("sweep --count 12 --time 3 --transfer on");
    const Run process = raftsim("sweep --count 12 --time 3 --transfer on --impl " + kNode + "'");
    CHECK(process.code == 0);
    CHECK(cli::withoutWallClock(process.out) == cli::withoutWallClock(core.out));
}

TEST_CASE("impl: client sessions cross the process protocol too (thesis §6.3)") {
    // Sessions live in the clients and the state machine: any Raft under test has them.
    const Run core = raftsim("sweep --count 12 --time 3 --sessions on");
    const Run process = raftsim("sweep --count 12 --time 3 --sessions on --impl " + kNode + "'");
    CHECK(process.code == 0);
    CHECK(process.out.find("sessions registered") != std::string::npos);
    CHECK(cli::withoutWallClock(process.out) == cli::withoutWallClock(core.out));
}

TEST_CASE("impl: a process Raft that loses its votes is caught, reported, and the report replays") {
    const Run r = raftsim("sweep --seeds 1..6 --time 3 --out impl-test-out --impl " + kNode +
                          " --drop-hard-state'");
    CHECK(r.code == 1);
    CHECK(r.out.find("durable-before-ack") != std::string::npos);
    CHECK(r.out.find("--impl 'process:") != std::string::npos);  // the repro names it
    const std::string report = readFile("impl-test-out/seed-1.json");
    CHECK(report.find("\"implementation\"") != std::string::npos);
    const Run again = raftsim("replay impl-test-out/seed-1.json --expect-verdict violated");
    CHECK(again.code == 0);  // reproduced identically, and the verdict is the one expected
    CHECK(again.out.find("identical") != std::string::npos);
}

TEST_CASE("impl: a process that exits mid-run is a finding of that run, not a crash") {
    const Run r = raftsim("run --seed 2 --time 2 --impl " + kNode + " --exit-after 40'");
    CHECK(r.code == 1);
    CHECK(r.out.find("core-invariant") != std::string::npos);
    CHECK(r.out.find("process node") != std::string::npos);
}

TEST_CASE("impl: an unknown implementation, or bug switches for another Raft, exit 2") {
    cli::refused(raftsim("run --seed 1 --impl nope"), "unknown implementation 'nope'");
    cli::refused(raftsim("run --seed 1 --bug forget-vote --impl " + kNode + "'"),
                 "bug switches are raftsim's core's");
}

namespace {

// "distinct states N" of a check's figures.
std::string distinctStates(const std::string& out) {
    const auto at = out.find("distinct states ");
    REQUIRE(at != std::string::npos);
    return out.substr(at, out.find(',', at) - at);
}

}  // namespace

TEST_CASE("impl: check through the node seam finds the core model's states, without reductions") {
    const Run seam = raftsim("check --preset tiny --max-log 1 --through-seam");
    const Run model = raftsim("check --preset tiny --max-log 1 --no-symmetry --keep-dead");
    CHECK(seam.code == 0);
    CHECK(model.code == 0);
    CHECK(seam.out.find("through the node seam") != std::string::npos);
    CHECK(distinctStates(seam.out) == distinctStates(model.out));
    const Run cut = raftsim("check --preset tiny --through-seam --max-states 20");
    CHECK(cut.code == 3);
    CHECK(cut.out.find("unfinished") != std::string::npos);
}

TEST_CASE("impl: check refuses a process, an unknown implementation and what the seam explorer lacks") {
    cli::refused(raftsim("check --preset tiny --impl " + kNode + "'"), "check cannot explore a process");
    cli::refused(raftsim("check --preset tiny --impl nope"), "unknown implementation 'nope'");
    cli::refused(raftsim("check --preset tiny --through-seam --mode dfs"), "--mode dfs");
    cli::refused(raftsim("check --preset lost-writes-1 --through-seam"), "--async-writes");
    cli::refused(raftsim("check --preset reads3 --through-seam"), "reads and transfers are explored in the core's model only");
    cli::refused(raftsim("bench check --preset tiny --through-seam"), "bench check times raftsim's core model only");
}
