// One scenario file from disk to verdict: read, parse, run, compare, and optionally
// rewrite its expectations in place or write the path it took as a model trace.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace scenario {

struct FileOptions {
    bool rewrite = false;
    bool print = false;                    // print the file with the actual outputs
    std::optional<std::string> tracePath;  // write the path as a model trace here
};

struct FileOutcome {
    int code = 0;       // 0 every expectation held, 1 one failed, 2 a malformed file
    std::string out;    // the report (stdout)
    std::string error;  // exit 2: the one line `FILE:LINE: what`
};

FileOutcome runFile(const std::string& path, const FileOptions& options);

// The largest scenario file read: far above any scenario (scenarios/ has none above
// 30 KiB), far below a runaway read (`--from-scenario /dev/zero`).
constexpr std::size_t kMaxScenarioBytes = std::size_t{16} << 20;

// The file's text; throws ScenarioError (line 0) if it cannot be read or holds more than
// kMaxScenarioBytes.
std::string readAll(const std::string& path);

// The scenario files among `args`: a file as given; a directory's `*.scn` files, sorted
// by name. Throws std::runtime_error naming an argument that is neither.
std::vector<std::string> scenarioFiles(const std::vector<std::string>& args);

// The name (the file's stem) and the first line of its leading comment.
struct Listed {
    std::string name;
    std::string description;
};
Listed describeFile(const std::string& path);

}  // namespace scenario
