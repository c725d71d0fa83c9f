#include "tools/raftsim/failure.hpp"

#include <fmt/format.h>

#include "traces/json_write.hpp"
#include "traces/trace.hpp"

namespace tools {

std::string reproCommand(std::uint64_t seed, const SimFlags& flags) {
    return fmt::format("raftsim run --seed {}{}", seed, flags.repro());
}

std::string replayCommand(const std::string& path) { return fmt::format("raftsim replay {}", path); }

sim::RunResult writeTrace(const std::string& path, std::uint64_t seed, const SimFlags& flags) {
    sim::RunResult result;
    const traces::Trace trace =
        traces::record(flags.optionsFor(seed), seed, reproCommand(seed, flags), &result);
    traces::writeTrace(path, trace);
    return result;
}

}  // namespace tools
