#include "tools/raftsim/failure.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tools {

std::string reproCommand(std::uint64_t seed, const SimFlags& flags) {
    return fmt::format("raftsim run --seed {}{}", seed, flags.repro());
}

void writeFailure(const std::string& path, std::uint64_t seed, const SimFlags& flags,
                  const sim::RunResult& result) {
    nlohmann::ordered_json j;
    j["producer"] = "raftsim 0.1.0";
    j["seed"] = seed;
    j["repro"] = reproCommand(seed, flags);
    j["options"] = sim::describe(flags.optionsFor(seed));
    j["events"] = result.stats.events;
    j["eventHash"] = fmt::format("{:016x}", result.eventHash);
    if (result.violation) {
        const sim::Violation& v = *result.violation;
        j["verdict"] = {{"property", v.property}, {"event", v.event}, {"timeUs", v.timeUs},
                        {"details", v.details}};
    } else {
        j["verdict"] = nullptr;
    }
    std::ofstream out(path);
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write", path));
    out << j.dump(2) << '\n';
}

}  // namespace tools
