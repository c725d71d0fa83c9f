// Command-line values: durations with units, strict numbers, the subcommand list and
// the version.
#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::refused;
using cli::Run;

TEST_CASE("cli: durations take units; a bare number keeps its meaning (seconds)") {
    const Run bare = raftsim("run --seed 3 --time 2 --liveness 1");
    const Run units = raftsim("run --seed 3 --time 2000ms --liveness 1s");
    CHECK(units.code == 0);
    CHECK(units.out == bare.out);  // the repro line included: the same run, typed again the same way
    CHECK(raftsim("run --seed 3 --time 0.5 --liveness 0.72").out ==
          raftsim("run --seed 3 --time 500000us --liveness 720ms").out);
    const Run budget = raftsim("sweep --seeds 1..2 --time 1 --time-budget 60s --out cli-harden-out");
    CHECK(budget.code == 0);
    CHECK(budget.out.find("2 seeds, 0 violated") != std::string::npos);
    CHECK(raftsim("sweep --seeds 1..2 --time 1 --time-budget 5m --out cli-harden-out").code == 0);
    refused(raftsim("run --time 10us"), "--time");
    refused(raftsim("run --time 5x"), "'5x' is not a duration");
    refused(raftsim("sweep --time-budget 1d"), "--time-budget");
}

TEST_CASE("cli: numbers that are not numbers are refused with one line naming the flag") {
    struct Case {
        const char* args;
        const char* flag;
    };
    for (const Case& c : {Case{"run --time nan", "--time"}, Case{"run --liveness nan", "--liveness"},
                          Case{"sweep --time nan", "--time"}, Case{"run --time inf", "--time"},
                          Case{"run --seed -1", "--seed"}, Case{"run --seed 99999999999999999999999", "--seed"},
                          Case{"run --seed ''", "--seed"}, Case{"run --seed 12abc", "--seed"},
                          Case{"run --drop nan", "--drop"}, Case{"run --duplicate nan", "--duplicate"},
                          Case{"run --reorder -0.5", "--reorder"}, Case{"sweep --shard 1/-1", "--shard"},
                          Case{"sweep --shard 0/2junk", "--shard"}, Case{"sweep --shard 0/1/2", "--shard"},
                          Case{"sweep --count -5", "--count"}, Case{"sweep --seeds 1..-2", "--seeds"},
                          Case{"sweep --seeds -1..2", "--seeds"}, Case{"check --seed -1", "--seed"},
                          Case{"check --max-states -1", "--max-states"}, Case{"check --walks ''", "--walks"},
                          Case{"bench bugs --cap nan", "--cap"}}) {
        CAPTURE(c.args);
        const Run r = raftsim(c.args);
        refused(r, c.flag);
        CHECK(r.err.find("raftsim: ") == 0);
    }
    const Run shard = raftsim("sweep --seeds 1..4 --time 1 --shard 1/2 --out cli-harden-out");
    CHECK(shard.code == 0);
    CHECK(shard.out.find("2 seeds") != std::string::npos);
}

TEST_CASE("cli: no arguments and --help list the subcommands; --version prints meson's version") {
    const Run none = raftsim("");
    CHECK(none.code == 2);
    const Run help = raftsim("--help");
    CHECK(help.code == 0);
    for (const char* sub : {"run", "sweep", "replay", "shrink", "export", "check", "bugs", "bench"}) {
        CAPTURE(sub);
        CHECK(none.err.find(std::string("\n  ") + sub + " ") != std::string::npos);
        CHECK(help.out.find(std::string("\n  ") + sub + " ") != std::string::npos);
    }
    const Run version = raftsim("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "raftsim " RAFTSIM_VERSION "\n");
    REQUIRE(raftsim("run --seed 2 --time 1 --trace cli-harden-version.json").code == 0);
    CHECK(cli::readFile("cli-harden-version.json").find("\"producer\": \"raftsim " RAFTSIM_VERSION "\"") !=
          std::string::npos);
    std::remove("cli-harden-version.json");
}
