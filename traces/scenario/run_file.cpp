#include "traces/scenario/run_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "traces/model_trace.hpp"
#include "traces/scenario/diff.hpp"
#include "traces/scenario/error.hpp"
#include "traces/scenario/runner.hpp"
#include "traces/scenario/words.hpp"

namespace scenario {

namespace fs = std::filesystem;

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError(0, "cannot read the file");
    std::string text;
    std::array<char, 1 << 16> buffer{};
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
        const auto n = static_cast<std::size_t>(in.gcount());
        if (text.size() + n > kMaxScenarioBytes) {
            throw ScenarioError(0, fmt::format("larger than {} MiB: not a scenario", kMaxScenarioBytes >> 20));
        }
        text.append(buffer.data(), n);
    }
    if (in.bad()) throw ScenarioError(0, "cannot read the file");
    return text;
}

namespace {

constexpr std::string_view kExtension = ".scn";

void writeAll(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write", path));
}

std::string report(const std::string& path, const RunResult& r) {
    std::string out;
    for (const Failure& f : r.failures) {
        out += fmt::format("{}:{}: {}\n", path, f.line, f.what);
        if (f.expected.empty() && f.actual.empty()) continue;
        for (const std::string& line : diffLines(f.expected, f.actual)) out += fmt::format("    {}\n", line);
    }
    const std::string verdict = r.failures.empty() ? "ok" : fmt::format("FAILED ({} failures)", r.failures.size());
    out += fmt::format("{}: {}: {} commands, {} steps\n", path, verdict, r.commands, r.trace.steps.size());
    return out;
}

}  // namespace

FileOutcome runFile(const std::string& path, const FileOptions& options) {
    FileOutcome outcome;
    try {
        const Script script = parseScript(readAll(path), options.rewrite || options.print);
        RunResult r = runScript(script, options.rewrite || options.print);
        if (options.rewrite) writeAll(path, rewrite(script, r.outputs));
        if (options.print) outcome.out += rewrite(script, r.outputs);
        if (options.tracePath) {
            r.trace.repro = fmt::format("raftsim scenario run {}", path);
            traces::writeTrace(*options.tracePath, r.trace);
        }
        outcome.out += report(path, r);
        outcome.code = r.failures.empty() ? 0 : 1;
    } catch (const ScenarioError& e) {
        outcome.code = 2;
        const std::string what = printable(e.message());
        outcome.error = e.line() > 0 ? fmt::format("{}:{}: {}", path, e.line(), what) : fmt::format("{}: {}", path, what);
    }
    return outcome;
}

std::vector<std::string> scenarioFiles(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    for (const std::string& arg : args) {
        std::error_code ec;
        if (fs::is_regular_file(arg, ec)) {
            files.push_back(arg);
        } else if (fs::is_directory(arg, ec)) {
            std::vector<std::string> inDir;
            for (const fs::directory_entry& e : fs::directory_iterator(arg, ec)) {
                if (e.is_regular_file() && e.path().extension() == kExtension) inDir.push_back(e.path().string());
            }
            std::sort(inDir.begin(), inDir.end());
            files.insert(files.end(), inDir.begin(), inDir.end());
        } else {
            throw std::runtime_error(fmt::format("{}: no such file or directory", arg));
        }
    }
    return files;
}

Listed describeFile(const std::string& path) {
    std::string description;
    try {
        description = parseScript(readAll(path), true).description;
    } catch (const ScenarioError&) {
        description = "(cannot be read)";
    }
    return {fs::path(path).stem().string(), description};
}

}  // namespace scenario
