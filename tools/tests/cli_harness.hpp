// Running the raftsim binary from CLI tests: exit code, stdout and stderr.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace cli {

struct Run {
    int code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// `from` replaced by `to`, once, in `text`.
inline std::string edited(const std::string& text, const std::string& from, const std::string& to) {
    std::string copy = text;
    const auto at = copy.find(from);
    REQUIRE(at != std::string::npos);
    return copy.replace(at, from.size(), to);
}

// Runs a shell command line whose stderr goes to `errPath`; collects all three.
inline Run runShell(const std::string& cmd, const std::string& errPath) {
    Run r;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = readFile(errPath);
    std::remove(errPath.c_str());
    return r;
}

// A scratch file name of this test process (suites run side by side in one directory).
inline std::string scratch(const std::string& what) {
    static int counter = 0;
    return "cli-" + what + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".txt";
}

// Runs `prefix raftsim args` through the shell (args shell-quoted), with CI=true.
inline Run raftsim(const std::string& args, const std::string& prefix = "") {
    const std::string errPath = scratch("stderr");
    return runShell("CI=true " + prefix + " " RAFTSIM_PATH " " + args + " 2>" + errPath, errPath);
}

// The same, with `input` on its standard input.
inline Run raftsimFed(const std::string& args, const std::string& input) {
    const std::string inPath = scratch("stdin");
    writeFile(inPath, input);
    const Run r = raftsim(args + " <" + inPath);
    std::remove(inPath.c_str());
    return r;
}

// Exit 2 with exactly one line on stderr that contains `needle`.
inline void refused(const Run& r, const std::string& needle) {
    CHECK(r.code == 2);
    CHECK(r.err.find(needle) != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
}

// A sweep's output without its wall-clock line (the only line that differs between
// two runs of the same sweep).
inline std::string withoutWallClock(const std::string& out) {
    std::string kept;
    std::size_t at = 0;
    while (at < out.size()) {
        std::size_t end = out.find('\n', at);
        if (end == std::string::npos) end = out.size();
        const std::string line = out.substr(at, end - at);
        if (line.rfind("wall:", 0) != 0) kept += line + "\n";
        at = end + 1;
    }
    return kept;
}

}  // namespace cli
