#include "traces/scenario/script.hpp"

#include "traces/scenario/error.hpp"
#include "traces/scenario/words.hpp"

namespace scenario {

namespace {

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

bool skippable(const std::string& trimmed) { return trimmed.empty() || trimmed.front() == '#'; }

// Reads the block after the command at lines[d.first]; returns the index past it.
std::size_t readBlock(const std::vector<std::string>& lines, Directive& d, bool allowMissing) {
    std::size_t i = d.first + 1;
    if (i < lines.size() && trim(lines[i]) == kSeparator) {
        d.hasBlock = true;
        for (++i; i < lines.size() && !trim(lines[i]).empty(); ++i) d.expected.push_back(trimRight(lines[i]));
        return i;
    }
    if (!allowMissing) {
        throw ScenarioError(d.line, fmt::format("missing expectation block: a line '{}' must follow '{}' "
                                                "(--rewrite fills blocks in)", kSeparator, d.text));
    }
    return i;
}

}  // namespace

std::string leadingDescription(const std::vector<std::string>& lines) {
    for (const std::string& raw : lines) {
        const std::string t = trim(raw);
        if (t.empty()) continue;
        if (t.front() != '#') return {};
        return trim(t.substr(1));
    }
    return {};
}

Script parseScript(const std::string& text, bool allowMissing) {
    Script s;
    s.lines = splitLines(text);
    // Comments become captions and commands are echoed into traces, which are JSON: text.
    for (std::size_t i = 0; i < s.lines.size(); ++i) {
        if (const auto at = invalidUtf8(s.lines[i])) {
            throw ScenarioError(static_cast<int>(i + 1),
                                fmt::format("not UTF-8 text: byte 0x{:02x} at column {}",
                                            static_cast<unsigned char>(s.lines[i][*at]), *at + 1));
        }
    }
    s.description = leadingDescription(s.lines);
    for (std::size_t i = 0; i < s.lines.size();) {
        const std::string t = trim(s.lines[i]);
        if (skippable(t)) {
            ++i;
            continue;
        }
        if (t == kSeparator) throw ScenarioError(static_cast<int>(i + 1), "a '----' line without a command above it");
        Directive d{.line = static_cast<int>(i + 1), .text = t, .words = splitWords(t), .first = i};
        i = readBlock(s.lines, d, allowMissing);
        d.end = i;
        s.directives.push_back(std::move(d));
    }
    return s;
}

std::string rewrite(const Script& script, const std::vector<std::vector<std::string>>& outputs) {
    std::string out;
    auto emit = [&out](const std::string& line) { out += line + '\n'; };
    std::size_t pos = 0;
    for (std::size_t k = 0; k < script.directives.size(); ++k) {
        const Directive& d = script.directives[k];
        for (; pos < d.first; ++pos) emit(script.lines[pos]);
        emit(script.lines[d.first]);
        emit(std::string(kSeparator));
        if (k < outputs.size()) {
            for (const std::string& line : outputs[k]) emit(line);
        }
        pos = d.end;
        // A block ends at a blank line: one must separate it from what follows.
        if (pos < script.lines.size() && !trim(script.lines[pos]).empty()) emit("");
    }
    for (; pos < script.lines.size(); ++pos) emit(script.lines[pos]);
    return out;
}

}  // namespace scenario
