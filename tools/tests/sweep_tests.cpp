// Sweeps that stay useful when many seeds fail, when runs hit their event cap, when the
// budget ends or a signal comes: bounded reports, counted failures, partial summaries.
#include <dirent.h>

#include <chrono>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::Run;

namespace {

std::size_t filesIn(const std::string& dir) {
    std::size_t n = 0;
    if (DIR* d = opendir(dir.c_str())) {
        while (const dirent* e = readdir(d)) n += e->d_name[0] != '.';
        closedir(d);
    }
    return n;
}

void removeDir(const std::string& dir) { std::system(("rm -rf " + dir).c_str()); }

// A prefix for cli::raftsim that sends SIGINT once the process catches it (bit 2 of SigCgt
// in /proc/PID/status) and has run half a second more, and exits with its status. A fixed
// delay instead flaked on a loaded machine: the signal came before the handler was there.
const std::string kInterruptWhenReady =
    R"(bash -c '"$@" & p=$!; for i in $(seq 400); do)"
    R"( m=$(awk "/^SigCgt/{print \$2}" /proc/$p/status 2>/dev/null); (( 0x${m:-0} & 2 )) && break;)"
    R"( sleep 0.05; done; sleep 0.5; kill -INT $p; wait $p' _)";

}  // namespace

TEST_CASE("cli: a run that hits its event cap is unfinished (exit 3), neither held nor violated") {
    const Run r = raftsim("run --seed 3 --time 2 --max-events 1000");
    CHECK(r.code == 3);
    CHECK(r.out.find("raftsim run --seed 3 --time 2 --max-events 1000\n") == 0);
    CHECK(r.out.find("verdict: unfinished: event cap of 1000 reached at t=") != std::string::npos);
    CHECK(r.out.find("all properties held") == std::string::npos);
    const Run sweep = raftsim("sweep --seeds 1..4 --time 1 --max-events 500 --out cli-harden-cap");
    CHECK(sweep.code == 3);
    CHECK(sweep.out.find("sweep summary: 4 seeds, 0 violated, 4 unfinished (event cap), 0 held\n") == 0);
    CHECK(sweep.out.find("unfinished: event cap") != std::string::npos);
}

TEST_CASE("cli: a failing sweep writes the first --max-reports reports and counts the rest by property") {
    removeDir("cli-harden-reports");
    const std::string args = "sweep --seeds 1..40 --time 1 --bug forget-vote --max-reports 3 --out cli-harden-reports";
    const Run one = raftsim(args + " --jobs 1");
    CHECK(one.code == 1);
    CHECK(filesIn("cli-harden-reports") == 3);
    CHECK(one.out.find("... and ") != std::string::npos);
    CHECK(one.out.find("more failing seeds, counted above by property") != std::string::npos);
    CHECK(one.out.find("violated: ") != std::string::npos);
    const Run two = raftsim(args + " --jobs 2 --junit cli-harden-junit.xml");
    CHECK(two.out == one.out);  // the same seeds kept and printed whatever the jobs
    const std::string junit = cli::readFile("cli-harden-junit.xml");
    CHECK(junit.find("tests=\"40\"") != std::string::npos);
    CHECK(junit.find("details not kept past --max-reports") != std::string::npos);
    std::remove("cli-harden-junit.xml");
    removeDir("cli-harden-reports");
}

TEST_CASE("cli: a huge failing sweep honours its time budget, keeps 10 reports and counts everything") {
    removeDir("cli-harden-budget");
    const auto start = std::chrono::steady_clock::now();
    const Run r = raftsim("sweep --bug forget-vote --count 1000000 --time-budget 2s --out cli-harden-budget");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(seconds < 15);
    CHECK(r.code == 1);
    CHECK(filesIn("cli-harden-budget") <= 10);
    CHECK(r.out.find("stopped by the time budget (2s) after ") != std::string::npos);
    CHECK(r.out.find("of 1000000 seeds: which seeds ran depends on the machine's speed") != std::string::npos);
    removeDir("cli-harden-budget");
}

TEST_CASE("cli: seeds are generated as they are taken: a sweep of 2^40 seeds starts at once") {
    const Run r = raftsim("sweep --count 1099511627776 --time 1 --time-budget 1s --out cli-harden-out");
    CHECK(r.code == 0);
    CHECK(r.out.find("of 1099511627776 seeds") != std::string::npos);
}

TEST_CASE("cli: --fail-fast stops starting seeds at the first violation") {
    const Run r = raftsim("sweep --seeds 1..100000 --time 1 --bug forget-vote --fail-fast --jobs 1 --out cli-harden-ff");
    CHECK(r.code == 1);
    CHECK(r.out.find("stopped at the first violation (--fail-fast) after ") != std::string::npos);
    removeDir("cli-harden-ff");
}

TEST_CASE("cli: SIGINT during a sweep prints the partial summary and the JUnit file, exit 130") {
    const Run r = raftsim("sweep --count 1000000 --time 1 --junit cli-harden-int.xml --out cli-harden-out",
                          kInterruptWhenReady);
    CHECK(r.code == 130);
    CHECK(r.out.find("sweep summary: ") == 0);
    CHECK(r.out.find("interrupted after ") != std::string::npos);
    CHECK(cli::readFile("cli-harden-int.xml").find("<testsuite name=\"raftsim.sweep\"") != std::string::npos);
    std::remove("cli-harden-int.xml");
}

TEST_CASE("cli: SIGINT during a check prints the partial figures, exit 130") {
    const Run r = raftsim("check --preset tla-small --jobs 1", kInterruptWhenReady);
    CHECK(r.code == 130);
    CHECK(r.out.find("interrupted: the figures above are partial; nothing is proved\n") != std::string::npos);
}

TEST_CASE("cli: sweep --check-determinism runs every 10th seed twice and keeps the summary") {
    const Run plain = raftsim("sweep --count 25 --time 1 --jobs 2");
    const Run r = raftsim("sweep --count 25 --time 1 --jobs 2 --check-determinism");
    CHECK(r.code == 0);
    CHECK(r.out == plain.out + "determinism: 3 seeds run twice, same event hashes and verdicts\n");
    const Run one = raftsim("sweep --seeds 4..4 --time 1 --check-determinism");
    CHECK(one.code == 0);
    CHECK(one.out.find("determinism: 1 seeds run twice") != std::string::npos);
}
