// The scenario text format: commands, expectation blocks, comments, rewriting.
#include <doctest/doctest.h>

#include "traces/scenario/error.hpp"
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
