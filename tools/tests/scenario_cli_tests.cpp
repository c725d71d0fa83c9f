// `raftsim scenario` as users and CI call it: the library passes, an edited expectation
// fails with a diff (exit 1), a malformed file gives one line FILE:LINE (exit 2), and a
// scenario's trace replays, steps, shrinks and exports like the model checker's.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/tests/cli_harness.hpp"

namespace {

using cli::raftsim;
using cli::readFile;
using cli::Run;
using cli::writeFile;

std::string scenario(const std::string& name) { return std::string(RAFTSIM_SCENARIOS_DIR) + "/" + name; }

std::size_t lines(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += c == '\n' ? 1 : 0;
    return n;
}

// A scenario whose line 4 is `line4`, after a well-formed start.
std::string withLine4(const std::string& line4) {
    return "cluster 3\n----\nn0 follower  t0 vote=- commit=0 log=[]\nn1 follower  t0 vote=- commit=0 log=[]\n"
           "n2 follower  t0 vote=- commit=0 log=[]\n\n" + line4 + "\n----\n\n";
}

}  // namespace

TEST_CASE("scenario cli: the library runs, every expectation holds, and the output is the same twice") {
    const Run a = raftsim(std::string("scenario run ") + RAFTSIM_SCENARIOS_DIR);
    CHECK(a.code == 0);
    CHECK(a.err.empty());
    CHECK(a.out.find("scenarios/first-election.scn: ok: ") != std::string::npos);
    CHECK(a.out.find(", 0 failed\n") != std::string::npos);
    const std::size_t at = a.out.rfind("scenarios: ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(a.out.substr(at + 11)) >= 25);
    CHECK(raftsim(std::string("scenario run ") + RAFTSIM_SCENARIOS_DIR).out == a.out);
}

TEST_CASE("scenario cli: list prints each name with the first line of its comment") {
    const Run r = raftsim(std::string("scenario list ") + RAFTSIM_SCENARIOS_DIR);
    CHECK(r.code == 0);
    CHECK(r.out.find("first-election ") != std::string::npos);
    CHECK(r.out.find("Figure 8 (e)") != std::string::npos);
    CHECK(lines(r.out) >= 25);
}

TEST_CASE("scenario cli: an edited expectation fails with exit 1, FILE:LINE and a diff") {
    std::string text = readFile(scenario("first-election.scn"));
    const std::string from = "n0 leader    t1 vote=0 commit=1 log=[1]\nn1 follower  t1 vote=0 commit=1";
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), "n0 leader    t1 vote=0 commit=1 log=[1]\nn1 follower  t9 vote=0 commit=1");
    writeFile("scenario-edited.scn", text);
    const Run r = raftsim("scenario run scenario-edited.scn");
    CHECK(r.code == 1);
    CHECK(r.out.find("scenario-edited.scn:") == 0);
    CHECK(r.out.find("the output of 'show' differs from the expectation") != std::string::npos);
    CHECK(r.out.find("    - n1 follower  t9 vote=0 commit=1") != std::string::npos);
    CHECK(r.out.find("    + n1 follower  t1 vote=0 commit=1") != std::string::npos);
    CHECK(r.out.find("scenario-edited.scn: FAILED (1 failures)") != std::string::npos);

    // --rewrite puts the actual output back; then the copy passes.
    CHECK(raftsim("scenario run scenario-edited.scn --rewrite").code == 0);
    CHECK(readFile("scenario-edited.scn") == readFile(scenario("first-election.scn")));
    std::remove("scenario-edited.scn");
}

TEST_CASE("scenario cli: --rewrite fills in missing blocks of a new scenario") {
    writeFile("scenario-new.scn", "# A new one.\ncluster 3\n\ntimeout 0\n# a note\ndeliver-all\n");
    CHECK(raftsim("scenario run scenario-new.scn").code == 2);
    CHECK(raftsim("scenario run scenario-new.scn --rewrite").code == 0);
    const std::string text = readFile("scenario-new.scn");
    CHECK(text.find("timeout 0\n----\ntimeout node 0 election\n") != std::string::npos);
    CHECK(text.find("\n\n# a note\ndeliver-all\n----\n") != std::string::npos);
    CHECK(raftsim("scenario run scenario-new.scn").code == 0);
    std::remove("scenario-new.scn");
}

TEST_CASE("scenario cli: a malformed scenario gives one line FILE:LINE: what, and exit 2") {
    const std::pair<std::string, std::string> cases[] = {
        {withLine4("frobnicate 1"), "scenario-bad.scn:7: unknown command 'frobnicate'"},
        {withLine4("timeout 7"), "scenario-bad.scn:7: bad node '7' (nodes are 0..2)"},
        {withLine4("deliver RequestVote 0->1"), "scenario-bad.scn:7: no message 'RequestVote 0->1' in flight"},
        {"cluster 3\n----\n\ntimeout 0\n\n", "scenario-bad.scn:4: missing expectation block"},
        {withLine4("heartbeat 1"), "scenario-bad.scn:7: 'timeout node 1 heartbeat' cannot happen here"},
        {withLine4("expect-violation nothing"), "scenario-bad.scn:7: unknown property 'nothing'"},
    };
    for (const auto& c : cases) {
        const auto& text = c.first;
        const auto& message = c.second;  // not a structured binding: clang 14 cannot capture one
        CAPTURE(message);
        writeFile("scenario-bad.scn", text);
        const Run r = raftsim("scenario run scenario-bad.scn");
        CHECK(r.code == 2);
        CHECK(r.err.find(message) == 0);
        CHECK(lines(r.err) == 1);
    }
    std::remove("scenario-bad.scn");
}

TEST_CASE("scenario cli: a violation nobody expected fails with exit 1") {
    std::string text = readFile(scenario("bug-forget-vote.scn"));
    const std::size_t at = text.find("expect-violation election-safety");
    REQUIRE(at != std::string::npos);
    writeFile("scenario-unexpected.scn", text.substr(0, at));
    const Run r = raftsim("scenario run scenario-unexpected.scn");
    CHECK(r.code == 1);
    CHECK(r.out.find("unexpected violation of election-safety") != std::string::npos);
    std::remove("scenario-unexpected.scn");
}

TEST_CASE("scenario cli: --trace writes a model trace that replays identical, steps, shrinks and exports") {
    const Run run = raftsim("scenario run " + scenario("bug-forget-vote.scn") + " --trace scenario-trace.json");
    REQUIRE(run.code == 0);
    const Run replay = raftsim("replay scenario-trace.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("scenario-trace.json: identical: 8 events, verdict: VIOLATED election-safety at step 8") == 0);
    const Run steps = raftsim("replay scenario-trace.json --steps");
    CHECK(steps.code == 0);
    CHECK(steps.out.find("\nstep 8: deliver RequestVoteResponse 2->0 term=1 granted\n") != std::string::npos);
    const Run shrink = raftsim("shrink scenario-trace.json -o scenario-trace-short.json");
    CHECK(shrink.code == 1);
    CHECK(shrink.out.find("property: election-safety") == 0);
    const Run exported = raftsim("export scenario-trace.json --format perfetto -o scenario-trace.perfetto.json");
    CHECK(exported.code == 0);
    CHECK(readFile("scenario-trace.perfetto.json").find("\"name\":\"leader t1\"") != std::string::npos);

    // A scenario with no violation: its trace replays identical too.
    REQUIRE(raftsim("scenario run " + scenario("figure8-e.scn") + " --trace scenario-trace.json").code == 0);
    CHECK(raftsim("replay scenario-trace.json").out.find("identical: ") != std::string::npos);
    for (const char* f : {"scenario-trace.json", "scenario-trace-short.json", "scenario-trace.perfetto.json"}) {
        std::remove(f);
    }
}

TEST_CASE("scenario cli: the README's example runs as it is printed there") {
    const std::string readme = readFile(std::string(RAFTSIM_SCENARIOS_DIR) + "/../README.md");
    const std::size_t from = readme.find("  ```\n  # Node 0 wins an election");
    REQUIRE(from != std::string::npos);
    const std::size_t to = readme.find("  ```\n", from + 6);
    REQUIRE(to != std::string::npos);
    std::string text;
    std::istringstream in(readme.substr(from + 6, to - from - 6));
    for (std::string line; std::getline(in, line);) text += (line.size() >= 2 ? line.substr(2) : line) + "\n";
    writeFile("scenario-readme.scn", text);
    const Run r = raftsim("scenario run scenario-readme.scn");
    CHECK(r.code == 0);
    CHECK(r.out == "scenario-readme.scn: ok: 5 commands, 3 steps\n");
    std::remove("scenario-readme.scn");
}

TEST_CASE("scenario cli: every scenario of the library leaves a trace that replays identical") {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(RAFTSIM_SCENARIOS_DIR)) {
        if (e.path().extension() == ".scn") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 25);
    for (const std::string& file : files) {
        CAPTURE(file);
        REQUIRE(raftsim("scenario run " + file + " --trace scenario-each.json").code == 0);
        const Run replay = raftsim("replay scenario-each.json");
        CHECK(replay.code == 0);
        CHECK(replay.out.find("scenario-each.json: identical: ") == 0);
    }
    std::remove("scenario-each.json");
}

// `--from-scenario`: the simulator starts where a scenario leaves the disks; a failing
// seed's repro line carries the flag, its trace replays identical, and a scenario that
// ends in a violation is no place to start (one line, exit 2).
TEST_CASE("scenario cli: sweep --from-scenario fuzzes from a scenario's disks") {
    const std::string from = " --from-scenario " + scenario("figure8-a-to-d.scn");
    const Run sweep = raftsim("sweep --count 300 --bug figure8-commit --out cli-from-scenario" + from);
    REQUIRE(sweep.code == 1);
    CHECK(sweep.out.find("reproduce: raftsim run --seed ") != std::string::npos);
    CHECK(sweep.out.find("--bug figure8-commit" + from) != std::string::npos);
    const Run run = raftsim("run --seed 3 --trace cli-from-scenario.json" + from);
    CHECK(run.code == 0);
    CHECK(run.out.find("nodes=5") != std::string::npos);
    CHECK(readFile("cli-from-scenario.json").find("\"initialDisks\"") != std::string::npos);
    const Run replay = raftsim("replay cli-from-scenario.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("identical") != std::string::npos);
    const Run refused = raftsim("sweep --count 5 --from-scenario " + scenario("bug-figure8-commit.scn"));
    CHECK(refused.code == 2);
    CHECK(refused.err.find("bug-figure8-commit.scn: it ends in a violation of commit-quorum") != std::string::npos);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    const Run changing = raftsim("run --seed 1 --from-scenario " + scenario("membership-leader-removes-itself.scn"));
    CHECK(changing.code == 2);
    CHECK(changing.err.find("membership-leader-removes-itself.scn: it changes membership or takes snapshots") !=
          std::string::npos);
    std::filesystem::remove_all("cli-from-scenario");
    std::remove("cli-from-scenario.json");
}
