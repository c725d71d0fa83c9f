// `--impl canonical` on the command line: run, sweep, replay and shrink, with traces
// that name the implementation and reproduce byte for byte.
#include <doctest/doctest.h>

#include <utility>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::readFile;
using cli::Run;

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical cli: a run names the implementation and holds") {
    const Run r = raftsim("run --seed 3 --nodes 3 --time 3 --impl canonical");
    CHECK(r.code == 0);
    CHECK(r.out.find("canonical") != std::string::npos);
    CHECK(r.out.find("all properties held") != std::string::npos);
}

TEST_CASE("canonical cli: a sweep is the same twice, and its findings replay and shrink") {
    const std::string flags = "sweep --seeds 1..40 --nodes 3 --impl canonical --out canonical-cli-out";
    const Run a = raftsim(flags + " --check-determinism");
    const Run b = raftsim(flags);
    CHECK(a.code == 1);  // canonical/raft's commit-quorum finding (README.md)
    CHECK(cli::withoutWallClock(a.out).find("commit-quorum") != std::string::npos);
    CHECK(a.out.find("--impl 'canonical'") != std::string::npos);  // the repro names it
    CHECK(b.code == 1);
    const std::string report = readFile("canonical-cli-out/seed-13.json");
    REQUIRE(!report.empty());
    CHECK(report.find("\"implementation\": \"canonical\"") != std::string::npos);
    const Run again = raftsim("replay canonical-cli-out/seed-13.json --expect-verdict commit-quorum");
    CHECK(again.code == 0);
    CHECK(again.out.find("identical") != std::string::npos);
    const Run shrunk = raftsim(
        "shrink canonical-cli-out/seed-13.json --max-runs 300 -o canonical-cli-out/shrunk.json");
    CHECK(shrunk.code == 1);
    const Run replayShrunk =
        raftsim("replay canonical-cli-out/shrunk.json --expect-verdict commit-quorum");
    CHECK(replayShrunk.code == 0);
}

TEST_CASE("canonical cli: the saved findings replay identically, each breaking its property") {
    const std::string dir = std::string(CANONICAL_TRACES_DIR) + "/";
    const std::pair<const char*, const char*> findings[] = {
        {"finding1-leftover-ack.json", "commit-quorum"},
        {"finding2-lone-voter-same-term.json", "log-matching"},
        {"finding3-figure8-commit.json", "commit-quorum"},
        {"finding3-figure8-leader-completeness.json", "leader-completeness"},
        {"finding4-prevote-deadlock.json", "liveness"},
    };
    for (const auto& finding : findings) {  // no structured bindings: CAPTURE captures them
        const std::string file = finding.first;
        const std::string property = finding.second;
        CAPTURE(file);
        const Run r = raftsim("replay " + dir + file + " --expect-verdict " + property);
        CHECK(r.code == 0);
        CHECK(r.out.find("identical") != std::string::npos);
    }
}

TEST_CASE("canonical cli: bug switches are raftsim's core's") {
    cli::refused(raftsim("run --seed 1 --bug forget-vote --impl canonical"),
                 "bug switches are raftsim's core's");
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("canonical");

TEST_CASE("canonical cli: check --impl canonical exhausts small bounds and holds") {
    const Run r = raftsim("check --impl canonical --preset tiny");
    CHECK(r.code == 0);
    CHECK(r.out.find("raftsim check --impl canonical") != std::string::npos);
    CHECK(r.out.find("held: every property holds") != std::string::npos);
    CHECK(cli::raftsim("check --impl canonical --preset tiny --bug forget-vote").code == 2);
}

TEST_SUITE_END();
