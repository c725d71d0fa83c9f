// `raftsim merge`: the JSON summaries of a sweep's shards (`raftsim sweep --shard i/n
// --json-summary FILE`) combined into the summary one process prints for the whole
// range, text and JSON, byte for byte; its exit code is the one that process returns.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/sweep_summary.hpp"
#include "traces/files.hpp"

namespace tools {

namespace {

struct MergeArgs {
    std::vector<std::string> files;
    std::string jsonSummary;
};

int runMerge(const MergeArgs& a) {
    std::vector<SweepSummary> shards;
    shards.reserve(a.files.size());
    for (const std::string& path : a.files) shards.push_back(readSummary(path));
    const SweepSummary merged = mergeSummaries(shards, a.files);
    fmt::print("{}{}{}", sweepSummary(merged.outcome), reportLines(merged), boundLine(merged));
    std::fflush(stdout);
    if (!a.jsonSummary.empty()) traces::writeTextFile(a.jsonSummary, summaryJson(merged));
    return sweepExitCode(merged);
}

}  // namespace

void addMerge(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand(
        "merge", "combine the JSON summaries of a sweep's shards into the summary of the whole range");
    auto a = std::make_shared<MergeArgs>();
    cmd->add_option("files", a->files, "the shards' summaries (raftsim sweep --shard i/n --json-summary FILE)")
        ->required();
    cmd->add_option("--json-summary", a->jsonSummary, "write the merged summary as JSON here");
    cmd->callback([a, &code] { code = runMerge(*a); });
}

}  // namespace tools
