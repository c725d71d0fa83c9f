// --snapshots on the command line: the flag, the trace field and format 2, replay and
// the step lines, the sweep's counters, and bad values (exit 2).
#include <doctest/doctest.h>

#include <string>

#include "tools/tests/cli_harness.hpp"

namespace {

using cli::readFile;
using cli::Run;

Run raftsim(const std::string& args) { return cli::raftsim(args, ""); }

// The text after `key` up to the end of its line.
std::string after(const std::string& text, const std::string& key) {
    const auto at = text.find(key);
    if (at == std::string::npos) return "";
    const auto start = at + key.size();
    return text.substr(start, text.find('\n', start) - start);
}

}  // namespace

TEST_CASE("snapshot cli: --snapshots on records format 2 with snapshotEvery; the trace replays identically") {
    const Run r = raftsim("run --seed 4 --time 3 --snapshots on --trace cli-snap.json");
    CHECK(r.code == 0);
    CHECK(r.out.find("raftsim run --seed 4 --time 3 --snapshots on") == 0);
    CHECK(r.out.find("snapshots=every32") != std::string::npos);
    CHECK(r.out.find("snapshots taken=") != std::string::npos);
    const std::string trace = readFile("cli-snap.json");
    CHECK(trace.find("\"format\": 2") != std::string::npos);
    CHECK(trace.find("\"snapshotEvery\": 32") != std::string::npos);
    CHECK(trace.find("\"snap\":") != std::string::npos);
    const Run replay = raftsim("replay cli-snap.json");
    CHECK(replay.code == 0);
    CHECK(replay.out.find("identical") != std::string::npos);
    const Run steps = raftsim("replay cli-snap.json --steps");
    CHECK(steps.out.find("snapshot taken at ") != std::string::npos);
    // The node's line shows its snapshot base before the entries after it.
    CHECK(steps.out.find("> n3 leader    t1 vote=3 commit=32 log=[snap(32,t1),1] voters={0,1,2,3,4}\n") !=
          std::string::npos);
}

TEST_CASE("snapshot cli: without --snapshots a trace stays format 1, with no snapshot field") {
    const Run r = raftsim("run --seed 4 --time 2 --trace cli-nosnap.json");
    CHECK(r.code == 0);
    const std::string trace = readFile("cli-nosnap.json");
    CHECK(trace.find("\"format\": 1") != std::string::npos);
    CHECK(trace.find("snapshotEvery") == std::string::npos);
    CHECK(trace.find("\"snap\":") == std::string::npos);
    CHECK(r.out.find("snapshots") == std::string::npos);
}

TEST_CASE("snapshot cli: a sweep counts snapshots taken and installed, and its JSON summary merges them") {
    const Run swept = raftsim("sweep --count 8 --time 3 --snapshots on --json-summary cli-snap-sum.json");
    CHECK(swept.code == 0);
    CHECK(swept.out.find("8 seeds, 0 violated") != std::string::npos);
    CHECK(!after(swept.out, "snapshots taken").empty());
    CHECK(!after(swept.out, "snapshots installed (leader)").empty());
    const std::string summary = readFile("cli-snap-sum.json");
    CHECK(summary.find("\"snapshots\"") != std::string::npos);
    CHECK(summary.find("\"installed\"") != std::string::npos);
}

TEST_CASE("snapshot cli: bad values, other Rafts, the model and version mismatches are refused (exit 2)") {
    cli::refused(raftsim("run --seed 1 --snapshots sometimes"), "--snapshots");
    cli::refused(raftsim("check --preset elect3 --bug snapshot-ack-before-persist"), "--bug");
    REQUIRE(raftsim("run --seed 4 --time 1 --snapshots on --trace cli-snap-v.json").code == 0);
    std::string trace = readFile("cli-snap-v.json");
    const auto at = trace.find("\"format\": 2");
    REQUIRE(at != std::string::npos);
    for (const char* version : {"\"format\": 1", "\"format\": 3"}) {
        std::string bad = trace;
        bad.replace(at, std::string("\"format\": 2").size(), version);
        cli::writeFile("cli-snap-bad.json", bad);
        cli::refused(raftsim("replay cli-snap-bad.json"), "format");
    }
}

TEST_CASE("snapshot cli: the bugs are listed with their sources") {
    const Run r = raftsim("bugs");
    CHECK(r.out.find("snapshot-ack-before-persist") != std::string::npos);
    CHECK(r.out.find("snapshot-keeps-conflicting-log") != std::string::npos);
    CHECK(r.out.find("hashicorp/raft pull request #704") != std::string::npos);
    const Run p = raftsim("properties");
    CHECK(p.out.find("snapshot-consistency") != std::string::npos);
}
