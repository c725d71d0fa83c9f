#include "tools/raftsim/determinism.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tools {

RunFingerprint fingerprintOf(std::uint64_t seed, const sim::RunResult& r) {
    RunFingerprint f{.seed = seed, .eventHash = r.eventHash};
    if (r.violation) {
        f.verdict = "violated " + r.violation->property;
    } else {
        f.verdict = r.eventCapReached ? "unfinished" : "held";
    }
    return f;
}

std::optional<DeterminismMismatch> compareRuns(const RunFingerprint& first, const RunFingerprint& second) {
    if (first.eventHash == second.eventHash && first.verdict == second.verdict) return std::nullopt;
    return DeterminismMismatch{first, second};
}

std::vector<DeterminismMismatch> recheckDeterminism(std::vector<RunFingerprint> recorded, const SimFlags& flags) {
    std::sort(recorded.begin(), recorded.end(),
              [](const RunFingerprint& a, const RunFingerprint& b) { return a.seed < b.seed; });
    std::vector<DeterminismMismatch> mismatches;
    for (const RunFingerprint& first : recorded) {
        const sim::RunResult again = sim::World(flags.optionsFor(first.seed), first.seed).run();
        if (auto m = compareRuns(first, fingerprintOf(first.seed, again))) mismatches.push_back(std::move(*m));
    }
    return mismatches;
}

std::string determinismReport(const std::vector<DeterminismMismatch>& mismatches, std::size_t rechecked) {
    if (mismatches.empty()) return {};
    std::string out;
    for (const DeterminismMismatch& m : mismatches) {
        out += fmt::format("seed {}: not deterministic: event hash {:016x} then {:016x}, verdict {} then {}\n",
                           m.first.seed, m.first.eventHash, m.second.eventHash, m.first.verdict,
                           m.second.verdict);
    }
    out += fmt::format("determinism check failed: {} of {} seeds run twice differed\n", mismatches.size(),
                       rechecked);
    return out;
}

}  // namespace tools
