// `raftsim step` driven from a pipe, as a student's typing would drive it: it elects,
// partitions, elects again, goes back, saves a trace that replays identically and a
// scenario that passes; a bad command is one line and the session goes on.
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
using cli::writeFile;

Run raftsim(const std::string& args, const std::string& input = "") { return cli::raftsimFed(args, input); }

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::size_t count(const std::string& s, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("step cli: elect, partition the leader, elect another, back three, save a trace that replays identical") {
    std::remove("step-cli-session.json");
    const std::string script =
        "run until leader\npartition 0 | 1 2\nrun until leader\nback 3\nsave step-cli-session.json\nquit\n";
    const Run r = raftsim("step --nodes 3", script);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(count(r.out, "reached after ") == 2);
    CHECK(has(r.out, "n1 leader    t2"));
    CHECK(has(r.out, "back 3 (now "));
    CHECK(has(r.out, "saved step-cli-session.json"));
    CHECK_FALSE(has(r.out, "\x1b["));  // no colour into a pipe
    const Run replay = raftsim("replay step-cli-session.json");
    CHECK(replay.code == 0);
    CHECK(has(replay.out, "step-cli-session.json: identical: "));
    CHECK(raftsim("step --nodes 3", script).out == r.out);  // deterministic
}

TEST_CASE("step cli: numbered choices, a bad command is one line and the session goes on, save as a scenario") {
    const std::string script = "1\nfrobnicate\n99\ndeliver vote 0->1\ndeliver vote-resp 1->0\nsave step-cli-session.scn\n";
    const Run r = raftsim("step", script);
    CHECK(r.code == 0);
    CHECK(has(r.out, "= timeout 0\n"));
    CHECK(has(r.out, "error: unknown command 'frobnicate'"));
    CHECK(has(r.out, "error: no choice 99 "));
    CHECK(has(r.out, "n0 leader    t1 vote=0 votes=0,1"));
    const Run scn = raftsim("scenario run step-cli-session.scn");
    CHECK(scn.code == 0);
    CHECK(has(scn.out, "step-cli-session.scn: ok"));
}

TEST_CASE("step cli: starts from a scenario or a model trace, and stops at a violation with exit 1") {
    const Run cex = raftsim("check --preset elect3 --bug vote-no-log-check --out step-cli-cex.json");
    CHECK(cex.code == 1);
    const Run steps = raftsim("replay step-cli-cex.json --steps");
    CHECK(has(steps.out, "\n  VIOLATED leader-completeness: "));  // the violating step is marked
    CHECK(has(steps.out, "granted: logs not compared (bug vote-no-log-check"));
    const Run t = raftsim("step --trace step-cli-cex.json", "show\n");
    CHECK(t.code == 1);
    CHECK(has(t.out, "VIOLATED "));
    const Run back = raftsim("step --trace step-cli-cex.json", "back\n");
    CHECK(back.code == 0);
    const Run s = raftsim("step --scenario " RAFTSIM_SCENARIOS_DIR "/first-election.scn", "show\n");
    CHECK(s.code == 0);
    CHECK(has(s.out, "leader"));
}

TEST_CASE("step cli: bad flags and files are one line, exit 2") {
    CHECK(raftsim("step --nodes 9").code == 2);
    const Run bug = raftsim("step --bug no-such-bug");
    CHECK(bug.code == 2);
    CHECK(has(bug.err, "unknown bug 'no-such-bug'"));
    const Run missing = raftsim("step --trace /nonexistent.json");
    CHECK(missing.code == 2);
    CHECK(count(missing.err, "\n") == 1);
    const Run both = raftsim("step --nodes 3 --trace x.json");
    CHECK(both.code == 2);
    CHECK(raftsim("serve --port 70000").code == 2);
    CHECK(raftsim("serve --trace /nonexistent.json").code == 2);
}
