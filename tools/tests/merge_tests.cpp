// `raftsim merge`: the shards of a sweep, merged, print and write exactly what one process
// sweeping the whole range does; bad input is refused in one line naming file and place.
#include <cstdlib>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::Run;

namespace {

void removeDir(const std::string& dir) { std::system(("rm -rf " + dir).c_str()); }

// One process over the range and its 4 shards (reports in one directory, as on a shared
// disk), then the merge of the shards: stdout and the JSON summary are compared whole.
void shardsMergeToOne(const std::string& args, int expectedCode) {
    const std::string dir = "cli-merge-" + std::to_string(expectedCode);
    removeDir(dir);
    const Run one = raftsim(args + " --out " + dir + "/reports --json-summary " + dir + "-one.json");
    CHECK(one.code == expectedCode);
    std::string files;
    for (int i = 0; i < 4; ++i) {
        const std::string json = dir + "-shard" + std::to_string(i) + ".json";
        const Run shard = raftsim(args + " --out " + dir + "/reports --shard " + std::to_string(i) +
                                  "/4 --json-summary " + json);
        CHECK(shard.code != 2);
        files += " " + json;
    }
    const Run merged = raftsim("merge" + files + " --json-summary " + dir + "-merged.json");
    CHECK(merged.code == expectedCode);
    CHECK(merged.err.empty());
    CHECK(merged.out == one.out);
    const std::string oneJson = cli::readFile(dir + "-one.json");
    CHECK(!oneJson.empty());
    CHECK(cli::readFile(dir + "-merged.json") == oneJson);
    // Merging the merged summary alone changes nothing (a whole range is shard 0/1).
    const Run again = raftsim("merge " + dir + "-merged.json");
    CHECK(again.out == one.out);
    std::system(("rm -f " + dir + "-*.json").c_str());
    removeDir(dir);
}

}  // namespace

TEST_CASE("cli: merge of shards 0/4..3/4 equals one process byte for byte: held (exit 0)") {
    shardsMergeToOne("sweep --seeds 5..34 --nodes 1..5 --time 1 --jobs 2", 0);
}

TEST_CASE("cli: merge of shards equals one process: violations, kept reports and the rest counted (exit 1)") {
    shardsMergeToOne("sweep --seeds 1..40 --nodes 1..5 --time 1 --liveness 2 --bug vote-no-log-check --max-reports 3 --jobs 2", 1);
}

TEST_CASE("cli: merge of shards equals one process: standing faults run, held and the longest gap (exit 0)") {
    shardsMergeToOne("sweep --seeds 1..24 --nodes 1..5 --time 1 --standing-fault swarm --jobs 2", 0);
}

TEST_CASE("cli: merge of shards equals one process: client sessions' counts (exit 0)") {
    shardsMergeToOne("sweep --seeds 1..24 --nodes 1..5 --time 1 --sessions swarm --jobs 2", 0);
}

TEST_CASE("cli: merge of shards equals one process: snapshots taken and installed (exit 0)") {
    shardsMergeToOne("sweep --seeds 1..24 --nodes 1..5 --time 1 --snapshots swarm --jobs 2", 0);
}

TEST_CASE("cli: merge of shards equals one process: seeds at their event cap (exit 3)") {
    shardsMergeToOne("sweep --seeds 1..6 --time 1 --max-events 500", 3);
}

TEST_CASE("cli: merge of shards equals one process: recovery percentiles and a broken recovery bound (exit 1)") {
    // Percentiles come from the exact sorted lists, so the merge's p50/p99/max and the
    // bound's verdict are those of one process, not averages of the shards'.
    shardsMergeToOne("sweep --seeds 3..42 --time 1 --jobs 2 --bug election-timeout-narrow --max-recovery-timeouts 0.5", 1);
}

TEST_CASE("cli: merge refuses shards held to different recovery bounds") {
    const std::string base = "sweep --seeds 1..6 --time 1 --jobs 1 --out cli-merge-bound";
    REQUIRE(raftsim(base + " --shard 0/2 --max-recovery-timeouts 50 --json-summary cli-merge-bound0.json").code == 0);
    REQUIRE(raftsim(base + " --shard 1/2 --max-recovery-timeouts 40 --json-summary cli-merge-bound1.json").code == 0);
    cli::refused(raftsim("merge cli-merge-bound0.json cli-merge-bound1.json"),
                 "cli-merge-bound1.json: recovery_bound: p99 <= 40 here but p99 <= 50 in cli-merge-bound0.json");
    std::system("rm -rf cli-merge-bound0.json cli-merge-bound1.json cli-merge-bound");
}

TEST_CASE("cli: merge refuses what is not the shards of one sweep, in one line naming the file") {
    const std::string base = "sweep --seeds 1..8 --time 1 --jobs 1 --out cli-merge-bad";
    for (int i = 0; i < 2; ++i) {
        REQUIRE(raftsim(base + " --shard " + std::to_string(i) + "/2 --json-summary cli-merge-bad" +
                        std::to_string(i) + ".json")
                    .code == 0);
    }
    REQUIRE(raftsim(base + " --shard 1/2 --nodes 3 --json-summary cli-merge-bad-flags.json").code == 0);
    const std::string s0 = cli::readFile("cli-merge-bad0.json");

    cli::refused(raftsim("merge cli-merge-bad0.json"), "merge: 1 of the 2 shards of seeds 1..8 missing: 1/2");
    cli::refused(raftsim("merge cli-merge-bad0.json cli-merge-bad0.json"),
                 "cli-merge-bad0.json: shard.index: shard 0/2 again (also cli-merge-bad0.json)");
    cli::refused(raftsim("merge cli-merge-bad0.json cli-merge-bad-flags.json"),
                 "cli-merge-bad-flags.json: flags: ' --nodes 3 --time 1' here but ' --time 1' in cli-merge-bad0.json");
    cli::refused(raftsim("merge cli-merge-bad0.json cli-merge-absent.json"), "cli-merge-absent.json");

    cli::writeFile("cli-merge-broken.json", s0.substr(0, s0.size() / 2));
    cli::refused(raftsim("merge cli-merge-broken.json cli-merge-bad1.json"), "cli-merge-broken.json: not JSON: ");
    cli::writeFile("cli-merge-broken.json", "{\n  \"format\": x\n}\n");
    cli::refused(raftsim("merge cli-merge-broken.json"), "cli-merge-broken.json: not JSON: parse error at line 2, column");
    cli::writeFile("cli-merge-broken.json", "[1, 2]\n");
    cli::refused(raftsim("merge cli-merge-broken.json"), "cli-merge-broken.json: (top level): expected an object");
    cli::writeFile("cli-merge-broken.json", cli::edited(s0, "\"events\": ", "\"events\": -"));
    cli::refused(raftsim("merge cli-merge-broken.json cli-merge-bad1.json"),
                 "cli-merge-broken.json: totals.events: expected a whole number >= 0, found -");
    cli::writeFile("cli-merge-broken.json", cli::edited(s0, "\"format\": \"raftsim-sweep-summary\"", "\"format\": \"raftsim-trace\""));
    cli::refused(raftsim("merge cli-merge-broken.json cli-merge-bad1.json"),
                 "cli-merge-broken.json: format: expected \"raftsim-sweep-summary\"");
    cli::writeFile("cli-merge-broken.json", cli::edited(s0, "\"planned\": 4", "\"planned\": 5"));
    cli::refused(raftsim("merge cli-merge-broken.json cli-merge-bad1.json"),
                 "cli-merge-broken.json: planned: 5 seeds, but shard 0/2 of 1..8 has 4");
    cli::writeFile("cli-merge-broken.json", cli::edited(s0, "\"seeds_recovered\": ", "\"seeds_recovered\": 1"));
    cli::refused(raftsim("merge cli-merge-broken.json cli-merge-bad1.json"), "cli-merge-broken.json: totals.recovery_us: ");
    cli::refused(raftsim("merge"), "files is required");
    std::system("rm -rf cli-merge-bad* cli-merge-broken.json");
}

TEST_CASE("cli: a Slurm array numbered from SLURM_ARRAY_TASK_MIN runs shards 0..n-1, which merge") {
    std::string files;
    for (int id = 1; id <= 3; ++id) {
        const std::string json = "cli-merge-slurm" + std::to_string(id) + ".json";
        const Run r = raftsim("sweep --seeds 1..9 --time 1 --json-summary " + json,
                              "env -u JOB_COMPLETION_INDEX -u GTEST_SHARD_INDEX SLURM_ARRAY_TASK_ID=" +
                                  std::to_string(id) + " SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1");
        CHECK(r.code == 0);
        CHECK(r.out.find("sweep summary: 3 seeds,") == 0);
        CHECK(cli::readFile(json).find("\"index\": " + std::to_string(id - 1)) != std::string::npos);
        files += " " + json;
    }
    const Run merged = raftsim("merge" + files);
    CHECK(merged.code == 0);
    CHECK(merged.out == raftsim("sweep --seeds 1..9 --time 1").out);
    std::system("rm -f cli-merge-slurm*.json");
}
