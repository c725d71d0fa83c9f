// Bounded recovery over a sweep (--max-recovery-timeouts): the summary line, the bound's
// verdict and exit code, and refusals of bad values.
#include <string>

#include "tools/tests/cli_harness.hpp"

using cli::raftsim;
using cli::Run;

namespace {

// The number after `key` in `text` (up to the next ',', ';', ' ' or newline).
std::string after(const std::string& text, const std::string& key) {
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    const auto from = at + key.size();
    return text.substr(from, text.find_first_of(",; \n", from) - from);
}

}  // namespace

TEST_CASE("cli: the default sweep's recovery bound catches election-timeout-narrow (exit 1), which no seed shows") {
    const Run r = raftsim("sweep --count 200 --jobs 2 --max-recovery-timeouts 4 --bug election-timeout-narrow");
    CHECK(r.code == 1);
    CHECK(r.out.find("sweep summary: 200 seeds, 0 violated, 200 held\n") == 0);
    CHECK(r.out.find("\nrecovery bound broken: p99 recovery is ") != std::string::npos);
    CHECK(r.out.find(" election timeouts, above 4 (--max-recovery-timeouts)\n") != std::string::npos);
    CHECK(std::stod(after(r.out, "recovery bound broken: p99 recovery is ")) > 4);
    // The same sweep without the bound holds: the liveness phase alone lets it pass.
    const Run plain = raftsim("sweep --count 200 --jobs 2 --bug election-timeout-narrow");
    CHECK(plain.code == 0);
    CHECK(plain.out.find("recovery bound") == std::string::npos);
}

TEST_CASE("cli: the correct core keeps the same bound (exit 0) and says so") {
    const Run r = raftsim("sweep --count 200 --jobs 2 --max-recovery-timeouts 4");
    CHECK(r.code == 0);
    CHECK(r.out.find("\nrecovery bound held: p99 recovery is ") != std::string::npos);
    CHECK(std::stod(after(r.out, "recovery bound held: p99 recovery is ")) <= 4);
    // The summary line's p99 is the figure the bound read.
    CHECK(after(r.out, "recovery in timeouts        p50 ").size() > 0);
    CHECK(after(r.out, ", p99 ") == after(r.out, "recovery bound held: p99 recovery is "));
}

TEST_CASE("cli: --recovery-percentile 100 bounds the slowest seed, the summary's max") {
    const Run r = raftsim("sweep --count 30 --jobs 2 --max-recovery-timeouts 0.01 --recovery-percentile 100");
    CHECK(r.code == 1);
    CHECK(after(r.out, "recovery bound broken: p100 recovery is ") == after(r.out, ", max "));
}

TEST_CASE("cli: a bound with no recovered seed is broken, not silently held") {
    // Every seed violates liveness here (a 1 ms liveness phase, shorter than a round trip): exit 1 either way, and
    // the bound says why it cannot hold.
    const Run r = raftsim("sweep --count 3 --liveness 1ms --max-recovery-timeouts 6");
    CHECK(r.code == 1);
    CHECK(r.out.find("recovery bound broken: no seed recovered") != std::string::npos);
}

TEST_CASE("cli: bad recovery bounds are refused in one line naming the flag (exit 2)") {
    for (const char* bad : {"0", "-1", "nan", "inf", "six", "1e9"}) {
        CAPTURE(bad);
        cli::refused(raftsim(std::string("sweep --count 2 --max-recovery-timeouts ") + bad), "--max-recovery-timeouts");
    }
    for (const char* bad : {"0", "101", "99.5", "x"}) {
        CAPTURE(bad);
        cli::refused(raftsim(std::string("sweep --count 2 --max-recovery-timeouts 6 --recovery-percentile ") + bad),
                     "--recovery-percentile");
    }
    cli::refused(raftsim("sweep --count 2 --recovery-percentile 50"), "--recovery-percentile");
    cli::refused(raftsim("sweep --count 2 --liveness 0 --max-recovery-timeouts 6"), "--max-recovery-timeouts");
}
