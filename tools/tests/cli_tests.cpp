// The raftsim command line as users and CI scripts call it: outputs and exit codes.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/tests/cli_harness.hpp"

namespace {

using cli::readFile;
using cli::Run;

Run raftsim(const std::string& args, const std::string& env = "") { return cli::raftsim(args, env); }

}  // namespace

TEST_CASE("cli: run prints the swarm configuration, a summary and the verdict; exit 0") {
    const Run r = raftsim("run --seed 3 --time 2 --liveness 1");
    CHECK(r.code == 0);
    CHECK(r.out.find("raftsim run --seed 3 --time 2 --liveness 1") != std::string::npos);
    CHECK(r.out.find("nemesis") != std::string::npos);
    CHECK(r.out.find("leaders elected") != std::string::npos);
    CHECK(r.out.find("verdict: all properties held") != std::string::npos);
}

TEST_CASE("cli: run and sweep report the linearizability check; --no-lin skips it and is in the repro") {
    const Run r = raftsim("run --seed 3 --time 2 --liveness 1");
    CHECK(r.out.find("\n  lin       linearizable: ") != std::string::npos);
    CHECK(r.out.find(" keys, ") != std::string::npos);
    const Run off = raftsim("run --seed 3 --time 2 --liveness 1 --no-lin");
    CHECK(off.code == 0);
    CHECK(off.out.find("raftsim run --seed 3 --time 2 --liveness 1 --no-lin\n") == 0);
    CHECK(off.out.find("\n  lin       not checked (--no-lin)\n") != std::string::npos);
    const Run sweep = raftsim("sweep --seeds 1..20 --time 2");
    CHECK(sweep.code == 0);
    CHECK(sweep.out.find("  histories linearizable                  20\n"
                         "  histories lin. unknown                   0\n"
                         "  histories not linearizable               0\n") != std::string::npos);
    CHECK(sweep.out.find("histories not checked") == std::string::npos);
    const Run sweepOff = raftsim("sweep --seeds 1..20 --time 2 --no-lin");
    CHECK(sweepOff.out.find("  histories not checked                   20\n") != std::string::npos);
}

TEST_CASE("cli: the same run twice prints the same output") {
    const Run a = raftsim("run --seed 11 --time 2");
    const Run b = raftsim("run --seed 11 --time 2");
    CHECK(a.out == b.out);
}

TEST_CASE("cli: a sweep's summary is the same with --jobs 1 and --jobs 2") {
    const Run one = raftsim("sweep --seeds 1..40 --time 2 --jobs 1 --out cli-test-out");
    const Run two = raftsim("sweep --seeds 1..40 --time 2 --jobs 2 --out cli-test-out");
    CHECK(one.code == 0);
    CHECK(two.code == 0);
    CHECK(one.out.find("40 seeds, 0 violated") != std::string::npos);
    CHECK(one.out == two.out);
    CHECK(one.err.find("seeds/s") != std::string::npos);  // progress and timing stay on stderr
}

TEST_CASE("cli: a violating sweep exits 1, writes the seed's report and prints the repro") {
    const Run r = raftsim("sweep --seeds 1..10 --time 2 --bug forget-vote --out cli-test-out "
                          "--junit cli-test-junit.xml");
    CHECK(r.code == 1);
    CHECK(r.out.find("reproduce: raftsim run --seed 1 --time 2 --bug forget-vote") != std::string::npos);
    const std::string report = readFile("cli-test-out/seed-1.json");
    CHECK(report.find("\"property\"") != std::string::npos);
    const std::string junit = readFile("cli-test-junit.xml");
    CHECK(junit.find("<testsuite name=\"raftsim.sweep\" tests=\"10\"") != std::string::npos);
    CHECK(junit.find("<failure") != std::string::npos);
    // The repro command reproduces the violation.
    const Run again = raftsim("run --seed 1 --time 2 --bug forget-vote");
    CHECK(again.code == 1);
    CHECK(again.out.find("VIOLATED") != std::string::npos);
}

TEST_CASE("cli: shards split the seeds without overlap") {
    const Run a = raftsim("sweep --seeds 1..9 --time 1 --shard 0/2 --out cli-test-out");
    const Run b = raftsim("sweep --seeds 1..9 --time 1 --shard 1/2 --out cli-test-out");
    CHECK(a.out.find("5 seeds") != std::string::npos);
    CHECK(b.out.find("4 seeds") != std::string::npos);
}

TEST_CASE("cli: bad usage exits 2 with one line and no crash") {
    for (const char* args : {"", "run --seed x", "run --nodes 12", "sweep --seeds 5..2",
                             "sweep --seeds abc", "run --bug no-such-bug", "sweep --shard 3/2",
                             "frobnicate"}) {
        CAPTURE(args);
        const Run r = raftsim(args);
        CHECK(r.code == 2);
        CHECK(r.err.find("raftsim") != std::string::npos);
    }
}

TEST_CASE("cli: bugs lists every switch with its source") {
    const Run r = raftsim("bugs");
    CHECK(r.code == 0);
    for (const char* name : {"figure8-commit", "vote-no-log-check", "forget-vote",
                             "stale-term-append", "no-step-down-higher-term"}) {
        CAPTURE(name);
        CHECK(r.out.find(name) != std::string::npos);
    }
    CHECK(r.out.find("source:") != std::string::npos);
}

TEST_CASE("cli: --pre-vote runs PreVote, records it in the trace, and the trace replays") {
    const Run r = raftsim("run --seed 3 --time 3 --pre-vote on --trace cli-prevote.json");
    CHECK(r.code == 0);
    CHECK(r.out.find("prevote=on") != std::string::npos);
    CHECK(readFile("cli-prevote.json").find("\"preVote\": true") != std::string::npos);
    const Run again = raftsim("replay cli-prevote.json");
    CHECK(again.code == 0);
    CHECK(again.out.find("identical") != std::string::npos);
    const Run plain = raftsim("run --seed 3 --time 3 --trace cli-plain.json");
    CHECK(readFile("cli-plain.json").find("preVote") == std::string::npos);  // old format
    CHECK(raftsim("sweep --count 40 --time 3 --pre-vote swarm").code == 0);
    cli::refused(raftsim("run --seed 1 --pre-vote maybe"), "--pre-vote");
}

TEST_CASE("cli: --transfer runs leadership transfers, records them in the trace, replays, "
          "shrinks and explains them (thesis §3.10)") {
    const Run r = raftsim("run --seed 3 --time 3 --transfer on --trace cli-transfer.json");
    CHECK(r.code == 0);
    CHECK(r.out.find("transfer=on") != std::string::npos);
    CHECK(r.out.find("transfer  asked=") != std::string::npos);
    const std::string trace = readFile("cli-transfer.json");
    CHECK(trace.find("\"transfer\": true") != std::string::npos);
    CHECK(trace.find("\"transfers\": [") != std::string::npos);
    CHECK(trace.find("\"k\":\"transfer\"") != std::string::npos);
    CHECK(trace.find("\"msg\":\"TimeoutNow\"") != std::string::npos);
    const Run again = raftsim("replay cli-transfer.json");
    CHECK(again.code == 0);
    CHECK(again.out.find("identical") != std::string::npos);
    const Run steps = raftsim("replay cli-transfer.json --steps");
    CHECK(steps.out.find("hands over its leadership (§3.10)") != std::string::npos);
    CHECK(steps.out.find("accepted (§3.10)") != std::string::npos);
    const Run plain = raftsim("run --seed 3 --time 3 --trace cli-plain-transfer.json");
    CHECK(readFile("cli-plain-transfer.json").find("transfer") == std::string::npos);  // old format
    CHECK(plain.out.find("transfer  asked") == std::string::npos);
    CHECK(plain.out.find("transfer=on") == std::string::npos);
    const Run sweep = raftsim("sweep --count 20 --time 3 --transfer on");
    CHECK(sweep.out.find("transfers completed") != std::string::npos);
    CHECK(raftsim("sweep --count 40 --time 3 --transfer swarm").code == 0);
    cli::refused(raftsim("run --seed 1 --transfer maybe"), "--transfer");
    const Run bug = raftsim("run --seed 1 --bug propose-during-transfer --trace cli-transfer-bug.json");
    CHECK(bug.code != 0);
    CHECK(bug.out.find("transfer-refuses-proposals") != std::string::npos);
    CHECK(raftsim("replay cli-transfer-bug.json").out.find("identical") != std::string::npos);
    CHECK(raftsim("shrink cli-transfer-bug.json -o cli-transfer-small.json").code == 1);
    const Run small = raftsim("replay cli-transfer-small.json");
    CHECK(small.out.find("identical") != std::string::npos);
    CHECK(small.out.find("transfer-refuses-proposals") != std::string::npos);
    // The model catches stale-timeout-now (it turns --transfers 1 on) and its trace replays;
    // transfer-never-aborted needs a clock, which the model has not.
    const Run stale = raftsim("check --nodes 2 --max-term 3 --bug stale-timeout-now --out cli-stale-tn.json");
    CHECK(stale.code == 1);
    CHECK(stale.out.find("VIOLATED timeout-now-current-term") != std::string::npos);
    CHECK(stale.out.find("--transfers 1") != std::string::npos);
    CHECK(raftsim("replay cli-stale-tn.json").out.find("identical") != std::string::npos);
    cli::refused(raftsim("check --preset elect3 --bug transfer-never-aborted"), "no clock");
    const Run listed = raftsim("bugs");
    for (const char* name : {"transfer-never-aborted", "propose-during-transfer", "stale-timeout-now"}) {
        CAPTURE(name);
        CHECK(listed.out.find(name) != std::string::npos);
    }
}

TEST_CASE("cli: --reads serves gets without the log; a read bug's trace replays and shrinks; check catches it") {
    const Run ok = raftsim("run --seed 3 --reads follower");
    CHECK(ok.code == 0);
    CHECK(ok.out.find("reads=follower") != std::string::npos);
    CHECK(ok.out.find("served without the log=") != std::string::npos);
    CHECK(raftsim("run --seed 3").out.find("served without the log") == std::string::npos);
    const Run bug = raftsim("run --seed 9 --bug read-without-quorum --trace cli-read-bug.json");
    CHECK(bug.code == 1);
    CHECK(bug.out.find("linearizability") != std::string::npos);
    CHECK(raftsim("replay cli-read-bug.json").out.find("identical") != std::string::npos);
    CHECK(raftsim("shrink cli-read-bug.json -o cli-read-small.json").code == 1);
    const Run small = raftsim("replay cli-read-small.json");
    CHECK(small.out.find("identical") != std::string::npos);
    CHECK(small.out.find("linearizability") != std::string::npos);
    cli::refused(raftsim("run --seed 1 --reads sometimes"), "--reads");
    // The model catches it with --reads 1 (turned on by the bug) through read-freshness.
    const Run checked =
        raftsim("check --nodes 3 --max-term 2 --max-log 1 --values 0 --bug read-without-quorum --out cli-read-cex.json");
    CHECK(checked.code == 1);
    CHECK(checked.out.find("VIOLATED read-freshness") != std::string::npos);
    CHECK(checked.out.find("read 1 at node") != std::string::npos);
    const Run replayed = raftsim("replay cli-read-cex.json");
    CHECK(replayed.out.find("identical") != std::string::npos);
    CHECK(replayed.out.find("read-freshness") != std::string::npos);
    cli::refused(raftsim("check --preset elect3 --reads 9"), "--reads");
    cli::refused(raftsim("check --preset elect3 --bug election-timeout-narrow"), "--bug");
}

TEST_CASE("cli: --reads lease serves reads on the leader's lease; a lease bug is caught as lease-exclusive, its trace replays and shrinks; check refuses it") {
    const Run ok = raftsim("run --seed 3 --reads lease");
    CHECK(ok.code == 0);
    CHECK(ok.out.find("reads=lease") != std::string::npos);
    CHECK(ok.out.find(" on a lease=") != std::string::npos);
    const Run bug = raftsim("run --seed 1 --bug lease-never-expires --trace cli-lease-bug.json");
    CHECK(bug.code == 1);
    CHECK(bug.out.find("lease-exclusive") != std::string::npos);
    CHECK(raftsim("replay cli-lease-bug.json").out.find("identical") != std::string::npos);
    CHECK(raftsim("shrink cli-lease-bug.json -o cli-lease-small.json").code == 1);
    const Run small = raftsim("replay cli-lease-small.json");
    CHECK(small.out.find("identical") != std::string::npos);
    CHECK(small.out.find("lease-exclusive") != std::string::npos);
    cli::refused(raftsim("check --preset elect3 --bug lease-never-expires"), "--bug");
}

TEST_CASE("cli: clocks that drift beyond the leases' bound (--drift, --lease-drift-bound) break lease-exclusive; within it they hold") {
    // Seed 258's leader runs its clock slow while cut off: with a bound of 0 its lease
    // outlasts the next leader's election (thesis §6.4.1); with the bound at the drift's
    // 95% the lease is a fortieth as long and holds.
    const std::string flags = "run --seed 258 --nodes 3 --drift 95 --reads lease";
    const Run within = raftsim(flags);
    CHECK(within.code == 0);
    CHECK(within.out.find("drift<=+-95%") != std::string::npos);
    const Run beyond = raftsim(flags + " --lease-drift-bound 0 --trace cli-lease-drift.json");
    CHECK(beyond.code == 1);
    CHECK(beyond.out.find("lease-drift-bound=0%") != std::string::npos);
    CHECK(beyond.out.find("VIOLATED lease-exclusive") != std::string::npos);
    CHECK(cli::readFile("cli-lease-drift.json").find("\"leaseDriftBoundPercent\": 0") != std::string::npos);
    CHECK(raftsim("replay cli-lease-drift.json").out.find("identical") != std::string::npos);
    cli::refused(raftsim("run --seed 1 --drift 100"), "--drift");
    cli::refused(raftsim("run --seed 1 --lease-drift-bound -1"), "--lease-drift-bound");
    const Run off = raftsim("run --seed 3 --drift 0 --faults all");
    CHECK(off.code == 0);
    CHECK(off.out.find("kinds=partition,one-way,isolate,majority-minority,clog,crash,pause ") != std::string::npos);
}

TEST_CASE("cli: a history that is not linearizable: the trace records its witness, replay checks it, --steps and export mark it") {
    CHECK(raftsim("run --seed 9 --bug read-without-quorum --trace cli-lin-witness.json").code == 1);
    const std::string text = cli::readFile("cli-lin-witness.json");
    CHECK(text.find("\n  \"linearizability\": {\n    \"verdict\": \"violated\",") != std::string::npos);
    const Run steps = raftsim("replay cli-lin-witness.json --steps");
    CHECK(steps.code == 0);
    CHECK(steps.out.find("\n  lin-witness: c") != std::string::npos);
    CHECK(steps.out.find("\nlinearizability violated on key ") != std::string::npos);
    cli::writeFile("cli-lin-tampered.json", cli::edited(text, "\"minimal\": true", "\"minimal\": false"));
    const Run tampered = raftsim("replay cli-lin-tampered.json");
    CHECK(tampered.code == 1);
    CHECK(tampered.out.find("diverged in the linearizability witness") != std::string::npos);
    cli::writeFile("cli-lin-bad.json", cli::edited(text, "\"verdict\": \"violated\"", "\"verdict\": \"maybe\""));
    cli::refused(raftsim("replay cli-lin-bad.json"), "cli-lin-bad.json: field 'linearizability.verdict'");
    for (const char* format : {"perfetto", "shiviz", "html"}) {
        CAPTURE(format);
        CHECK(raftsim(std::string("export cli-lin-witness.json --format ") + format + " -o cli-lin-export.txt").code == 0);
        CHECK(cli::readFile("cli-lin-export.txt").find("lin-witness") != std::string::npos);
        const std::string mark = std::string(format) == "shiviz" ? "\nc2 {\"c2\":1}\n#" : "linearizability violated on key ";
        CHECK(cli::readFile("cli-lin-export.txt").find(mark) != std::string::npos);
    }
}

TEST_CASE("cli: --sessions: clients register and retry; a session bug's trace replays and shrinks; check refuses it") {
    const Run ok = raftsim("run --seed 3 --sessions on");
    CHECK(ok.code == 0);
    CHECK(ok.out.find("sessions=on") != std::string::npos);
    CHECK(ok.out.find("sessions  registered=") != std::string::npos);
    CHECK(raftsim("run --seed 3").out.find("registered=") == std::string::npos);
    const Run swept = raftsim("sweep --count 6 --time 1 --sessions on --json-summary cli-sessions.json");
    CHECK(swept.code == 0);
    CHECK(swept.out.find("session: duplicates answered") != std::string::npos);
    CHECK(cli::readFile("cli-sessions.json").find("\"sessions\"") != std::string::npos);
    const Run bug = raftsim("run --seed 20 --bug session-no-dedupe --trace cli-session-bug.json");
    CHECK(bug.code == 1);
    CHECK(bug.out.find("linearizability") != std::string::npos);
    CHECK(raftsim("replay cli-session-bug.json").out.find("identical") != std::string::npos);
    CHECK(raftsim("shrink cli-session-bug.json -o cli-session-small.json").code == 1);
    const Run small = raftsim("replay cli-session-small.json");
    CHECK(small.out.find("identical") != std::string::npos);
    CHECK(small.out.find("linearizability") != std::string::npos);
    cli::refused(raftsim("run --seed 1 --sessions sometimes"), "--sessions");
    cli::refused(raftsim("check --preset elect3 --bug session-no-dedupe"), "--bug");
    cli::refused(raftsim("check --preset elect3 --bug session-expiry-local-clock"), "--bug");
}

TEST_CASE("cli: properties lists the catalogue in rank order, with the engines that check each") {
    const Run r = raftsim("properties");
    CHECK(r.code == 0);
    const auto election = r.out.find("election-safety");
    const auto quorum = r.out.find("commit-quorum");
    const auto liveness = r.out.find("liveness");
    CHECK(election != std::string::npos);
    CHECK(election < quorum);
    CHECK(quorum < liveness);
    CHECK(liveness != std::string::npos);
    CHECK(r.out.find("checked by: simulator, model checker") != std::string::npos);
    CHECK(r.out.find("thesis §3.8") != std::string::npos);
    CHECK(r.out.find("read-freshness") != std::string::npos);
    CHECK(r.out.find("checked by: model checker\n") != std::string::npos);
}

namespace {

using cli::writeFile;

// `from` replaced by `to`, once, in the file's text.
std::string editedCopy(const std::string& text, const std::string& from, const std::string& to) {
    std::string copy = text;
    const auto at = copy.find(from);
    REQUIRE(at != std::string::npos);
    return copy.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("cli: a BFS counterexample replays identical, walks step by step, and diverges when edited") {
    const Run check = raftsim("check --preset elect3 --bug vote-no-log-check --out cli-cex.json");
    REQUIRE(check.code == 1);
    CHECK(check.out.find("written: cli-cex.json") != std::string::npos);
    const std::string text = readFile("cli-cex.json");
    CHECK(text.find("\"engine\": \"model\"") != std::string::npos);

    const Run replay = raftsim("replay cli-cex.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("cli-cex.json: identical: 8 events, verdict: VIOLATED leader-completeness at step 8: ") == 0);

    const Run steps = raftsim("replay cli-cex.json --steps");
    CHECK(steps.code == 0);
    CHECK(steps.out.find("initial state (") == 0);
    CHECK(steps.out.find("\nstep 8: ") != std::string::npos);
    CHECK(steps.out.find(" candidate t1 vote=") != std::string::npos);
    CHECK(steps.out.find("  in flight:") != std::string::npos);
    CHECK(steps.out.find("identical: 8 events") != std::string::npos);

    writeFile("cli-cex-edited.json", editedCopy(text, "\"role\":\"candidate\"", "\"role\":\"follower\""));
    const Run edited = raftsim("replay cli-cex-edited.json");
    CHECK(edited.code == 1);
    CHECK(edited.out.find("cli-cex-edited.json: diverged at event 1:\n  recorded: ") == 0);
    CHECK(edited.out.find("\n  replayed: ") != std::string::npos);
    std::remove("cli-cex.json");
    std::remove("cli-cex-edited.json");
}

TEST_CASE("cli: random walks find a deep bug, print the walk flags in the repro, and replay identical") {
    const std::string args = "check --max-term 4 --max-log 3 --bug vote-log-check-wrong --mode walk --seed 1 --walks 20000";
    const Run walk = raftsim(args + " --out cli-walk.json");
    REQUIRE(walk.code == 1);
    CHECK(walk.out.find("--mode walk --seed 1 --walks 20000 --max-depth 200") != std::string::npos);
    CHECK(walk.out.find("VIOLATED leader-completeness (random walk of 26 steps, shortened)\ncounterexample, 15 steps") !=
          std::string::npos);
    CHECK(readFile("cli-walk.json").find("--mode walk --seed 1") != std::string::npos);
    const Run replay = raftsim("replay cli-walk.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("verdict: VIOLATED leader-completeness") != std::string::npos);
    // The same walks again: the same counterexample (the timing line aside).
    auto path = [](const std::string& out) {
        const std::size_t from = out.find("sometimes:");
        return out.substr(from, out.find("written:") - from);
    };
    CHECK(path(raftsim(args + " --out cli-walk-again.json").out) == path(walk.out));
    std::remove("cli-walk.json");
    std::remove("cli-walk-again.json");

    const Run held = raftsim("check --preset tiny --mode walk --walks 50");
    CHECK(held.code == 0);
    CHECK(held.out.find("held in 50 random walks of up to 200 steps (a sample of the state space, not a proof)") !=
          std::string::npos);
}

// DFS counterexamples need not be shortest: shrink takes their detours out.
TEST_CASE("cli: shrink shortens a model trace to one that replays to the same violation") {
    REQUIRE(raftsim("check --preset elect3 --bug vote-no-log-check --mode dfs --out cli-dfs.json").code == 1);
    const Run shrunk = raftsim("shrink cli-dfs.json -o cli-dfs-short.json");
    CHECK(shrunk.code == 1);
    CHECK(shrunk.out.find("property: leader-completeness\nbefore:   21 steps\nafter:    11 steps\n") == 0);
    const Run replay = raftsim("replay cli-dfs-short.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("cli-dfs-short.json: identical: 11 events, verdict: VIOLATED leader-completeness") == 0);
    CHECK(raftsim("shrink cli-dfs.json -o cli-dfs-short2.json").out.substr(0, 80) == shrunk.out.substr(0, 80));
    CHECK(readFile("cli-dfs-short2.json") == readFile("cli-dfs-short.json"));  // the same input, the same output
    for (const char* f : {"cli-dfs.json", "cli-dfs-short.json", "cli-dfs-short2.json"}) std::remove(f);
}

TEST_CASE("cli: a search with nowhere to keep its parent links exits 2 naming the place") {
    const Run r = raftsim("check --preset tiny", "TMPDIR=/nonexistent-raftsim-dir");
    CHECK(r.code == 2);
    CHECK(r.err == "raftsim: cannot create the search trail (parent links) in /nonexistent-raftsim-dir: No such "
                   "file or directory\n");
}

TEST_CASE("cli: a malformed model trace exits 2 with one line naming the file and the field") {
    REQUIRE(raftsim("check --preset elect3 --bug vote-no-log-check --out cli-bad.json").code == 1);
    const std::string text = readFile("cli-bad.json");
    struct Case {
        std::string text, error;
    };
    const Case cases[] = {
        {text.substr(0, text.size() / 3), ": not valid JSON at byte"},
        {editedCopy(text, "\"engine\": \"model\"", "\"engine\": \"tla\""), ": field 'engine': unknown engine 'tla'"},
        {editedCopy(text, "\"format\": 1", "\"format\": 9"), ": field 'format': version 9 is not supported"},
        {editedCopy(text, "\"maxTerm\": ", "\"maxterm\": "), ": field 'bounds.maxTerm': missing"},
        {editedCopy(text, "\"k\":\"timeout\"", "\"k\":7"), ": field 'events[0].k': expected a string, got number"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.error);
        writeFile("cli-bad-edit.json", c.text);
        for (const char* cmd : {"replay cli-bad-edit.json", "replay cli-bad-edit.json --steps"}) {
            const Run r = raftsim(cmd);
            CHECK(r.code == 2);
            CHECK(r.out.empty());
            CHECK(r.err.find("raftsim: cli-bad-edit.json" + c.error) == 0);
            CHECK(r.err.find('\n') == r.err.size() - 1);
        }
    }
    writeFile("cli-bad-edit.json", editedCopy(readFile("cli-bad.json"), "\"engine\": \"model\"", "\"engine\": \"modal\""));
    const Run shrunk = raftsim("shrink cli-bad-edit.json -o cli-bad-shrunk.json");
    CHECK(shrunk.code == 2);
    CHECK(shrunk.err.find("raftsim: cli-bad-edit.json: field 'engine'") == 0);
    std::remove("cli-bad.json");
    std::remove("cli-bad-edit.json");
}

TEST_CASE("cli: a model trace exports to Perfetto and ShiViz with steps as time") {
    REQUIRE(raftsim("check --preset elect3 --bug vote-no-log-check --out cli-export.json").code == 1);
    const Run perfetto = raftsim("export cli-export.json --format perfetto -o cli-export.perfetto.json");
    CHECK(perfetto.code == 0);
    CHECK(perfetto.out == "cli-export.json: 8 events exported as perfetto to cli-export.perfetto.json\n");
    const std::string events = readFile("cli-export.perfetto.json");
    CHECK(events.find("\"name\":\"leader t1\"") != std::string::npos);
    CHECK(events.find("\"ph\":\"s\"") != std::string::npos);  // a message arrow
    const Run shiviz = raftsim("export cli-export.json --format shiviz -o cli-export.shiviz.log");
    CHECK(shiviz.code == 0);
    CHECK(readFile("cli-export.shiviz.log").find("\n#8 t=8us recv RequestVoteResponse from n2 (term 2) -> leader t2") !=
          std::string::npos);
    for (const char* f : {"cli-export.json", "cli-export.perfetto.json", "cli-export.shiviz.log"}) std::remove(f);
}

TEST_CASE("cli: --standing-fault keeps a partial fault through the liveness phase, records it, replays; bad values exit 2") {
    const Run r = raftsim("run --seed 3 --time 3 --standing-fault on --trace cli-standing.json");
    CHECK(r.code == 0);
    CHECK(r.out.find("checkquorum=on prevote=on") != std::string::npos);  // turned on with it
    CHECK(r.out.find("standing-fault=on") != std::string::npos);
    CHECK(r.out.find("  standing  isolated M={0,1,2}") != std::string::npos);
    CHECK(readFile("cli-standing.json").find("\"standingFault\": true") != std::string::npos);
    const Run again = raftsim("replay cli-standing.json");
    CHECK(again.code == 0);
    CHECK(again.out.find("identical") != std::string::npos);
    const Run steps = raftsim("replay cli-standing.json --steps");
    CHECK(steps.out.find("liveness phase: faults heal\n  standing fault: isolated M={0,1,2} cut 0->3") !=
          std::string::npos);
    const Run plain = raftsim("run --seed 3 --time 3 --trace cli-standing-plain.json");
    CHECK(readFile("cli-standing-plain.json").find("standingFault") == std::string::npos);  // old format
    CHECK(plain.out.find("  standing  ") == std::string::npos);
    const Run sweep = raftsim("sweep --count 30 --time 3 --standing-fault swarm --json-summary cli-standing-sum.json");
    CHECK(sweep.code == 0);
    CHECK(sweep.out.find("standing faults") != std::string::npos);
    CHECK(readFile("cli-standing-sum.json").find("\"standing\"") != std::string::npos);
    cli::refused(raftsim("run --seed 1 --standing-fault maybe"), "--standing-fault");
    cli::refused(raftsim("run --seed 1 --standing-fault on --pre-vote off"), "--pre-vote off");
    // A liveness bug the standing fault shows at once; the model, checking safety, refuses it.
    const Run bug = raftsim("sweep --count 3 --time 3 --standing-fault on --bug precandidate-keeps-leader "
                            "--out cli-standing-bug");
    CHECK(bug.code == 1);
    CHECK(bug.out.find("seed 1: liveness") != std::string::npos);
    std::system("rm -rf cli-standing-bug cli-standing-sum.json");
    cli::refused(raftsim("check --preset elect3 --bug precandidate-keeps-leader"), "--bug");
}

TEST_CASE("cli: check --fifo explores FIFO links, its counterexample records them and replays; copies are refused") {
    const Run r = raftsim("check --preset elect3 --fifo --bug vote-no-log-check --out cli-fifo-cex.json");
    CHECK(r.code == 1);
    CHECK(r.out.find("--fifo") != std::string::npos);
    CHECK(r.out.find("VIOLATED leader-completeness") != std::string::npos);
    CHECK(readFile("cli-fifo-cex.json").find("\"fifo\": true") != std::string::npos);
    const Run replayed = raftsim("replay cli-fifo-cex.json");
    CHECK(replayed.out.find("identical") != std::string::npos);
    cli::refused(raftsim("check --preset elect3 --fifo --duplicate"), "fifo links carry one copy of a message");
    cli::refused(raftsim("check --preset elect3 --fifo --max-copies 2"), "fifo links carry one copy of a message");
    cli::refused(raftsim("check --preset tiny --fifo --through-seam"), "--fifo");
}
