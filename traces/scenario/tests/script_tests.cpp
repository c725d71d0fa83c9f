// The scenario text format: commands, expectation blocks, comments, rewriting.
#include <doctest/doctest.h>

#include "traces/scenario/error.hpp"
#include "traces/scenario/run_file.hpp"
#include "traces/scenario/script.hpp"

using scenario::parseScript;
using scenario::ScenarioError;

TEST_CASE("script_parse_commandsWithBlocksAndComments") {
    const auto s = parseScript("# First election.\n# more\n\ncluster 3\n----\nn0 a\nn1 b\n\n# c\ntimeout 0\n----\n", false);
    CHECK(s.description == "First election.");
    REQUIRE(s.directives.size() == 2);
    CHECK(s.directives[0].line == 4);
    CHECK(s.directives[0].words == std::vector<std::string>{"cluster", "3"});
    CHECK(s.directives[0].expected == std::vector<std::string>{"n0 a", "n1 b"});
    CHECK(s.directives[1].line == 10);
    CHECK(s.directives[1].expected.empty());
}

TEST_CASE("script_parse_missingBlockIsAnErrorOnItsLine") {
    try {
        parseScript("cluster 3\n----\n\ntimeout 0\n\n", false);
        FAIL("no error");
    } catch (const ScenarioError& e) {
        CHECK(e.line() == 4);
        CHECK(std::string(e.what()).find("missing expectation block") == 0);
    }
}

// Found by tools/fuzz/fuzz_scenario: a comment (a caption) with a byte that is not UTF-8
// made `scenario run --trace` fail in the JSON writer, naming neither file nor line.
TEST_CASE("script_parse_textThatIsNotUtf8IsAnErrorOnItsLine") {
    for (const bool allowMissing : {false, true}) {
        try {
            parseScript("# ok \xc2\xa7\n# caption \x99\ncluster 3\n----\n", allowMissing);
            FAIL("no error");
        } catch (const ScenarioError& e) {
            CHECK(e.line() == 2);
            CHECK(e.message() == "not UTF-8 text: byte 0x99 at column 11");
        }
    }
    CHECK_THROWS_AS(parseScript("cluster 3 \xed\xa0\x80\n----\n", true), ScenarioError);  // a surrogate
    CHECK_THROWS_AS(parseScript("cluster 3 \xe2\x82\n", true), ScenarioError);            // cut short
    CHECK_THROWS_AS(parseScript("cluster 3 \xc0\xaf\n", true), ScenarioError);            // overlong
    CHECK(parseScript("# \xf0\x9f\x90\xa2 \xe2\x86\x92\ncluster 3\n----\n", false).directives.size() == 1);
}

// A runaway input is refused at 16 MiB instead of read until memory runs out.
TEST_CASE("script_readAll_refusesWhatIsLargerThanAnyScenario") {
    try {
        (void)scenario::readAll("/dev/zero");
        FAIL("no error");
    } catch (const ScenarioError& e) {
        CHECK(e.line() == 0);
        CHECK(e.message() == "larger than 16 MiB: not a scenario");
    }
    CHECK_THROWS_AS((void)scenario::readAll("/nonexistent/x.scn"), ScenarioError);
}

TEST_CASE("script_parse_separatorWithoutCommandIsAnError") {
    CHECK_THROWS_AS(parseScript("\n----\n", false), ScenarioError);
}

TEST_CASE("script_rewrite_replacesBlocksAndAddsMissingOnes") {
    const auto s = parseScript("# d\ncluster 3\n----\nold\n\ntimeout 0\n# after\n", true);
    const std::string text = scenario::rewrite(s, {{"new1", "new2"}, {"t"}});
    CHECK(text == "# d\ncluster 3\n----\nnew1\nnew2\n\ntimeout 0\n----\nt\n\n# after\n");
    const auto again = parseScript(text, false);
    CHECK(scenario::rewrite(again, {{"new1", "new2"}, {"t"}}) == text);
}
