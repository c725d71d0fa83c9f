// --membership on the command line: the flag, the trace (format version 2), replay,
// --steps, the sweep's counters and their merge, the bug switches, and bad values.
#include <doctest/doctest.h>

#include <string>

#include "tools/tests/cli_harness.hpp"

namespace {

using cli::readFile;
using cli::Run;

Run raftsim(const std::string& args) { return cli::raftsim(args, ""); }

}  // namespace

TEST_CASE("cli: --membership changes the configuration, records it in a version 2 trace that "
          "replays identical, and --steps shows the requests and replies") {
    const Run r = raftsim("run --seed 4 --time 4 --nodes 3 --membership on --trace cli-membership.json");
    CHECK(r.code == 0);
    CHECK(r.out.find("membership=on hosts=5") != std::string::npos);
    CHECK(r.out.find("membership asked=") != std::string::npos);
    const std::string trace = readFile("cli-membership.json");
    CHECK(trace.find("\"format\": 2") != std::string::npos);
    CHECK(trace.find("\"membership\": true") != std::string::npos);
    CHECK(trace.find("\"membership\": [") != std::string::npos);
    CHECK(trace.find("\"k\":\"membership\"") != std::string::npos);
    const Run again = raftsim("replay cli-membership.json");
    CHECK(again.code == 0);
    CHECK(again.out.find("identical") != std::string::npos);
    const Run steps = raftsim("replay cli-membership.json --steps");
    CHECK(steps.out.find("membership: n") != std::string::npos);
    // Seed 4: the leader removes itself, and each node shows its new configuration.
    CHECK(steps.out.find("n1 asked to remove-server n1 -> accepted") != std::string::npos);
    CHECK(steps.out.find("n0 configuration: voters {0,2} learners {} (entry 22, uncommitted)") != std::string::npos);
    CHECK(steps.out.find("-> no reply yet: catching the server up") != std::string::npos);
    // Each node's line ends with the configuration it uses; a spare is in none.
    CHECK(steps.out.find("> n0 follower  t1 vote=1 commit=20 log=[1x22] voters={0,2}\n") != std::string::npos);
    CHECK(steps.out.find("  n2 follower  t1 vote=1 commit=20 log=[1x20] voters={0,1,2}\n") != std::string::npos);
    CHECK(steps.out.find("  n3 follower  t0 vote=- commit=0 log=[] voters={}\n") != std::string::npos);

    // Without the flag: version 1, no membership field, no counters.
    const Run plain = raftsim("run --seed 3 --time 4 --nodes 3 --trace cli-membership-plain.json");
    const std::string old = readFile("cli-membership-plain.json");
    CHECK(old.find("\"format\": 1") != std::string::npos);
    CHECK(old.find("membership") == std::string::npos);
    CHECK(plain.out.find("membership=on") == std::string::npos);
    CHECK(plain.out.find("membership asked") == std::string::npos);
    CHECK(raftsim("replay cli-membership-plain.json --steps").out.find("voters=") == std::string::npos);
}

TEST_CASE("cli: a version 2 trace edited to version 1, or to version 3, is refused naming the field") {
    const std::string trace = readFile("cli-membership.json");
    REQUIRE(trace.find("\"format\": 2") != std::string::npos);
    for (const char* version : {"1", "3"}) {
        std::string edited = trace;
        edited.replace(edited.find("\"format\": 2"), 11, std::string("\"format\": ") + version);
        cli::writeFile("cli-membership-edited.json", edited);
        const Run r = raftsim("replay cli-membership-edited.json");
        CHECK(r.code == 2);
        CHECK(r.err.find("format") != std::string::npos);
    }
}

TEST_CASE("cli: a membership sweep counts the replies by kind; swarm and bad values") {
    const Run sweep = raftsim("sweep --count 10 --time 3 --nodes 1..5 --membership on --out cli-membership-sweep");
    CHECK(sweep.code == 0);
    CHECK(sweep.out.find("membership changes asked") != std::string::npos);
    CHECK(sweep.out.find("refused: not-leader") != std::string::npos);
    CHECK(raftsim("sweep --count 10 --time 3 --membership swarm").code == 0);
    // Shards' JSON summaries carry the counters, and merge adds them up.
    for (const char* shard : {"0/2", "1/2"}) {
        CHECK(raftsim(std::string("sweep --count 10 --time 3 --membership on --shard ") + shard +
                      " --json-summary cli-membership-" + shard[0] + ".json")
                  .code == 0);
    }
    CHECK(readFile("cli-membership-0.json").find("\"membership\"") != std::string::npos);
    const Run merged = raftsim("merge cli-membership-0.json cli-membership-1.json");
    CHECK(merged.code == 0);
    CHECK(merged.out.find("membership changes asked") != std::string::npos);
    cli::refused(raftsim("run --seed 1 --membership maybe"), "--membership");
    // With a standing fault, M keeps a majority of every configuration in use and a node
    // that can win its own (sim/standing.hpp).
    const Run standing = raftsim("sweep --count 200 --nodes 3..5 --membership on --standing-fault on");
    CHECK(standing.code == 0);
    CHECK(standing.out.find("200 held") != std::string::npos);
}

TEST_CASE("cli: each membership bug switch is caught by a short sweep and its trace replays") {
    const Run bug = raftsim("sweep --count 40 --nodes 1..5 --membership on --bug removed-leader-stays --out cli-membership-bug");
    CHECK(bug.code == 1);
    CHECK(bug.out.find("removed-leader-steps-down") != std::string::npos);
    const Run listed = raftsim("bugs");
    for (const char* name : {"concurrent-changes", "removed-leader-stays", "learner-counted-in-quorum"}) {
        CHECK(listed.out.find(name) != std::string::npos);
    }
    const Run props = raftsim("properties");
    CHECK(props.out.find("configuration-safety") != std::string::npos);
    CHECK(props.out.find("removed-leader-steps-down") != std::string::npos);
    // The model checker catches both that hold in small presets without the bug.
    const Run stays = raftsim("check --preset membership --bug removed-leader-stays --jobs 1 --out cli-removed-cex.json");
    CHECK(stays.code == 1);
    CHECK(stays.out.find("VIOLATED removed-leader-steps-down") != std::string::npos);
    CHECK(stays.out.find("counterexample, 11 steps") != std::string::npos);
    CHECK(raftsim("replay cli-removed-cex.json").out.find("identical") != std::string::npos);
    const Run learner =
        raftsim("check --preset membership3 --bug learner-counted-in-quorum --jobs 1 --out cli-learner-cex.json");
    CHECK(learner.code == 1);
    CHECK(learner.out.find("VIOLATED commit-quorum") != std::string::npos);
    CHECK(learner.out.find("counterexample, 10 steps") != std::string::npos);
}

TEST_CASE("cli: check catches snapshot-keeps-conflicting-log with three servers, and refuses snapshot-ack-before-persist") {
    // The model has snapshots (--snapshots), so a bug of InstallSnapshot turns one on; it
    // writes a snapshot at once, so a bug in the order of write and acknowledgement has
    // nothing to break there.
    // Two servers cannot hold a conflicting entry under a snapshot: it holds there.
    const Run kept = raftsim("check --preset snapshot --bug snapshot-keeps-conflicting-log");
    CHECK(kept.code == 0);
    CHECK(kept.out.find("--snapshots 1") != std::string::npos);
    // Three can: a follower keeps an entry of another term under the snapshot's last index,
    // and its snapshot then ends at an entry that was never committed.
    const Run caught = raftsim("check --nodes 3 --max-term 2 --max-log 2 --values 1 --bug snapshot-keeps-conflicting-log");
    CHECK(caught.code == 1);
    CHECK(caught.out.find("VIOLATED snapshot-consistency") != std::string::npos);
    CHECK(caught.out.find("counterexample, 12 steps") != std::string::npos);
    cli::refused(raftsim("check --preset snapshot --bug snapshot-ack-before-persist"), "--bug");
}
