// The regression corpus: shrunk failing traces, each replayed and expected to reach its
// recorded verdict, event for event.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "traces/json_read.hpp"
#include "traces/json_write.hpp"
#include "traces/replay.hpp"

namespace traces {

namespace {

std::vector<std::string> corpus() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(RAFTSIM_REGRESSIONS_DIR)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("regressions_replayIdentically_toTheirRecordedViolation") {
    const std::vector<std::string> files = corpus();
    REQUIRE(files.size() >= 3);
    for (const std::string& file : files) {
        CAPTURE(file);
        const Trace recorded = readTrace(file);
        REQUIRE(recorded.verdict.has_value());
        const Trace replayed = rerun(recorded);
        const Comparison c = compare(recorded, replayed);
        CHECK_MESSAGE(c.identical, c.report);
        REQUIRE(replayed.verdict.has_value());
        CHECK(replayed.verdict->property == recorded.verdict->property);
    }
}

TEST_CASE("regressions_areStoredInCanonicalForm") {
    for (const std::string& file : corpus()) {
        CAPTURE(file);
        CHECK(dump(readTrace(file)) == slurp(file));
    }
}

}  // namespace traces
