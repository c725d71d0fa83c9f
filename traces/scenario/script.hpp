// The text of a scenario file (scenarios/README.md): commands, one a line, each followed
// by its expected output between a line `----` and the next blank line; `#` starts a
// comment line. This layer knows nothing of Raft: it splits the text and puts it back
// together with new expectations (--rewrite).
#pragma once

#include <string>
#include <vector>

namespace scenario {

constexpr std::string_view kSeparator = "----";

struct Directive {
    int line = 0;                       // 1-based line of the command
    std::string text;                   // the command line, trimmed
    std::vector<std::string> words;     // split on blanks
    bool hasBlock = false;              // a `----` line follows
    std::vector<std::string> expected;  // the lines between `----` and the blank line
    std::size_t first = 0;              // index in Script::lines of the command
    std::size_t end = 0;                // index past the last line of its block
};

struct Script {
    std::vector<std::string> lines;  // the file, one entry a line
    std::vector<Directive> directives;
    std::string description;         // the first line of the leading comment
};

// Throws ScenarioError. With `allowMissing` (rewriting), a command without a block is
// accepted and gets one.
Script parseScript(const std::string& text, bool allowMissing);

// The first line of the leading comment, without its '#'; empty when there is none.
std::string leadingDescription(const std::vector<std::string>& lines);

// The file again, with `outputs[k]` as the block of directive k.
std::string rewrite(const Script& script, const std::vector<std::vector<std::string>>& outputs);

}  // namespace scenario
