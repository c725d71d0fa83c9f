// Every input survives: malformed, hostile or endless files are refused with one line
// naming the file and the field (exit 2), write errors are reported, and replay states
// what it reproduced.
#include <chrono>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::refused;
using cli::Run;

namespace {

// A simulator trace of a failing run, written once.
const std::string& simTrace() {
    static const std::string text = [] {
        REQUIRE(raftsim("run --seed 1 --time 2 --bug forget-vote --trace cli-harden-sim.json").code == 1);
        const std::string t = cli::readFile("cli-harden-sim.json");
        std::remove("cli-harden-sim.json");
        return t;
    }();
    return text;
}

// A simulator trace of a run that held, with messages delivered, written once.
const std::string& heldTrace() {
    static const std::string text = [] {
        REQUIRE(raftsim("run --seed 1 --time 1 --liveness 0.5 --trace cli-harden-held.json").code == 0);
        const std::string t = cli::readFile("cli-harden-held.json");
        std::remove("cli-harden-held.json");
        return t;
    }();
    return text;
}

}  // namespace

TEST_CASE("cli: write errors are reported with one line and exit 2") {
    refused(raftsim("sweep --seeds 1..2 --time 1 --junit /dev/full --out cli-harden-out"),
            "raftsim: /dev/full: cannot write: No space left on device");
    cli::writeFile("cli-harden-w.json", simTrace());
    refused(raftsim("export cli-harden-w.json --format perfetto -o /dev/full"), "raftsim: /dev/full: cannot write");
    refused(raftsim("run --seed 1 --time 1 --trace /dev/full"), "raftsim: /dev/full: cannot write");
    refused(raftsim("run --seed 1 --time 1 >/dev/full"), "raftsim: standard output: cannot write: No space left on device");
    std::remove("cli-harden-w.json");
}

TEST_CASE("cli: replay reads at most 256 MiB: /dev/zero is refused, not read forever") {
    refused(raftsim("replay /dev/zero"), "raftsim: /dev/zero: larger than 256 MiB");
}

// Found while writing tools/fuzz/fuzz_cli (--from-scenario reads its file as it is parsed):
// scenario files were read whole, without a bound, so /dev/zero was read until memory ran out.
TEST_CASE("cli: scenario files are read up to 16 MiB: /dev/zero is refused, not read forever") {
    refused(raftsim("run --seed 1 --from-scenario /dev/zero"), "raftsim: /dev/zero: larger than 16 MiB: not a scenario");
    refused(raftsim("step --scenario /dev/zero"), "raftsim: /dev/zero: larger than 16 MiB: not a scenario");
}

TEST_CASE("cli: hostile traces are refused naming the file and the field") {
    const std::string& text = heldTrace();
    struct Case {
        std::string text, error;
    };
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    const Case cases[] = {
        {cli::edited(text, "\"electionTimeoutMinUs\": 150000", "\"electionTimeoutMinUs\": 0"),
         "field 'options.electionTimeoutMinUs': 0 is below the floor of 1000us"},
        {cli::edited(text, "\"electionTimeoutMinUs\": 150000", "\"electionTimeoutMinUs\": 1"),
         "field 'options.electionTimeoutMinUs': 1 is below the floor"},
        {cli::edited(text, "\"heartbeatIntervalUs\": 50000", "\"heartbeatIntervalUs\": 1"),
         "field 'options.heartbeatIntervalUs'"},
        {cli::edited(text, "\"nodes\": ", "\"nodes\": 10, \"was\": "), "field 'options.nodes'"},
        {cli::edited(text, "\"maxEvents\": 50000000", "\"maxEvents\": 0"), "field 'options.maxEvents'"},
        {cli::edited(text, "\"safetyPhaseUs\": 1000000", "\"safetyPhaseUs\": 1e400"),
         "field 'options.safetyPhaseUs': number out of range"},
        {cli::edited(text, "\"repro\": ", "\"deep\": " + deep + ", \"repro\": "), "nested deeper than 64 levels"},
    };
    cli::writeFile("cli-harden-bad.json", text);
    REQUIRE(raftsim("replay cli-harden-bad.json").code == 0);
    for (const Case& c : cases) {
        CAPTURE(c.error);
        cli::writeFile("cli-harden-bad.json", c.text);
        for (const char* cmd : {"replay cli-harden-bad.json", "export cli-harden-bad.json --format perfetto -o cli-harden-bad.out",
                                "shrink cli-harden-bad.json -o cli-harden-bad.out"}) {
            CAPTURE(cmd);
            refused(raftsim(cmd), "raftsim: cli-harden-bad.json: " + c.error);
        }
    }
    std::remove("cli-harden-bad.json");
    std::remove("cli-harden-bad.out");
}

TEST_CASE("cli: an event that names a message sent later, or no node, is refused before export") {
    const std::string& text = heldTrace();
    const auto at = text.find("\"sent\":");
    REQUIRE(at != std::string::npos);
    const auto end = text.find_first_of(",}", at);
    std::string bad = text;
    bad.replace(at, end - at, "\"sent\":99999999");
    cli::writeFile("cli-harden-sent.json", bad);
    for (const char* format : {"perfetto", "shiviz"}) {
        CAPTURE(format);
        const Run r = raftsim(std::string("export cli-harden-sent.json -o cli-harden-sent.out --format ") + format);
        refused(r, "raftsim: cli-harden-sent.json: field 'events[");
        CHECK(r.err.find("].sent': 99999999 is not an earlier event") != std::string::npos);
    }
    std::remove("cli-harden-sent.json");
    std::remove("cli-harden-sent.out");
}

TEST_CASE("cli: a model trace nested too deep is refused by replay and export") {
    REQUIRE(raftsim("check --preset elect3 --bug vote-no-log-check --out cli-harden-cex.json").code == 1);
    const std::string text = cli::readFile("cli-harden-cex.json");
    const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
    cli::writeFile("cli-harden-cex.json", cli::edited(text, "\"log\":[]", "\"log\":" + deep));
    refused(raftsim("replay cli-harden-cex.json"), "nested deeper than 64 levels");
    refused(raftsim("export cli-harden-cex.json --format perfetto -o cli-harden-cex.out"), "nested deeper");
    std::remove("cli-harden-cex.json");
    std::remove("cli-harden-cex.out");
}

TEST_CASE("cli: replay --expect-verdict asserts the verdict; 0 means reproduced identically") {
    cli::writeFile("cli-harden-expect.json", simTrace());
    const Run plain = raftsim("replay cli-harden-expect.json");
    CHECK(plain.code == 0);
    CHECK(plain.out.find("cli-harden-expect.json: identical: ") == 0);
    const auto v = plain.out.find("VIOLATED ");
    REQUIRE(v != std::string::npos);
    const std::string property = plain.out.substr(v + 9, plain.out.find(' ', v + 9) - v - 9);
    CHECK(raftsim("replay cli-harden-expect.json --expect-verdict violated").code == 0);
    CHECK(raftsim("replay cli-harden-expect.json --expect-verdict " + property).code == 0);
    const Run held = raftsim("replay cli-harden-expect.json --expect-verdict held");
    CHECK(held.code == 1);
    CHECK(held.out.find("cli-harden-expect.json: expected verdict held, got " + property + "\n") != std::string::npos);
    CHECK(raftsim("replay cli-harden-expect.json --expect-verdict election-safety-x").code == 1);
    // A run stopped at its event cap replays as unfinished, not as held.
    REQUIRE(raftsim("run --seed 2 --time 1 --max-events 300 --trace cli-harden-expect.json").code == 3);
    const Run capped = raftsim("replay cli-harden-expect.json --expect-verdict held");
    CHECK(capped.code == 1);
    CHECK(capped.out == "cli-harden-expect.json: identical: 300 events, verdict: unfinished: event cap of 300 reached\n"
                        "cli-harden-expect.json: expected verdict held, got unfinished\n");
    std::remove("cli-harden-expect.json");
}

TEST_CASE("cli: replay stops at the first divergence") {
    // The recorded events cut after the third, and the run made as long as a trace may ask
    // (50 million events): replay stops at the fourth event instead of re-running and
    // keeping the whole run before it compares.
    std::string cut = cli::edited(heldTrace(), "\"safetyPhaseUs\": 1000000", "\"safetyPhaseUs\": 1000000000000");
    const auto events = cut.find("\"events\": [");
    REQUIRE(events != std::string::npos);
    std::size_t at = events;
    for (int i = 0; i < 4; ++i) at = cut.find("\n    {", at + 1);
    REQUIRE(at != std::string::npos);
    cut = cut.substr(0, cut.rfind(',', at)) + "\n  ]\n}\n";
    cli::writeFile("cli-harden-cut.json", cut);
    const auto start = std::chrono::steady_clock::now();
    const Run r = raftsim("replay cli-harden-cut.json");
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 5);
    CHECK(r.code == 1);
    CHECK(r.out.find("cli-harden-cut.json: diverged at event 4:\n  recorded: (none: the run ended before it)\n  replayed: {") == 0);
    std::remove("cli-harden-cut.json");
}
