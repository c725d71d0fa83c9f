#include "tools/raftsim/check_report.hpp"

#include <fmt/format.h>

#include <memory>
#include <unistd.h>

namespace tools {

std::string checkFigures(const mc::SearchResult& r, double seconds, int jobs) {
    const double rate = seconds > 0 ? static_cast<double>(r.states) / seconds : 0.0;
    const double perState = r.states > 0 ? static_cast<double>(r.tableBytes) / static_cast<double>(r.states) : 0.0;
    return fmt::format(
        "distinct states {}, transitions {}, depth {}, {:.2f}s, {:.0f} states/s ({} jobs)\n"
        "visited table {:.1f} MB, {:.1f} bytes per visited state (load {:.2f}); parent links "
        "{:.1f} MB on disk; {} distinct node values, {} distinct messages\n"
        "sometimes: leader elected {}, entry committed {}\n",
        r.states, r.transitions, r.depth, seconds, rate, jobs,
        static_cast<double>(r.tableBytes) / 1e6, perState,
        r.tableCapacity > 0 ? static_cast<double>(r.states) / static_cast<double>(r.tableCapacity) : 0.0,
        static_cast<double>(r.trailBytes) / 1e6,
        r.distinctNodes, r.distinctMessages, r.sawLeader ? "yes" : "NO",
        r.sawCommit ? "yes" : "NO");
}

std::string counterexampleText(const mc::Counterexample& cex) {
    std::string s = fmt::format("counterexample, {} steps from the initial state:\n", cex.steps.size());
    for (std::size_t k = 0; k < cex.steps.size(); ++k) {
        s += fmt::format("  {:>3}. {}\n", k + 1, cex.steps[k].text);
    }
    s += fmt::format("  violated {}: {}\n", cex.violation.property, cex.violation.details);
    return s;
}

std::function<void(std::uint64_t, std::uint64_t, int)> progressLine(bool enabled) {
    if (!enabled) return {};
    using Clock = std::chrono::steady_clock;
    struct Last {
        Clock::time_point start = Clock::now();
        Clock::time_point shown = Clock::now();
    };
    auto last = std::make_shared<Last>();
    const char* start = isatty(STDERR_FILENO) != 0 ? "\r" : "";
    return [last, start](std::uint64_t states, std::uint64_t transitions, int depth) {
        const Clock::time_point now = Clock::now();
        if (now - last->shown < std::chrono::seconds(1)) return;
        last->shown = now;
        const double s = std::chrono::duration<double>(now - last->start).count();
        fmt::print(stderr, "{}{} states, {} transitions, depth {}, {:.0f} states/s   {}", start, states,
                   transitions, depth, static_cast<double>(states) / s, *start != 0 ? "" : "\n");
    };
}

void endProgressLine(bool enabled) {
    if (enabled) fmt::print(stderr, "\n");
}

TimedSearch timedSearch(const mc::Bounds& bounds, const mc::SearchOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    TimedSearch t;
    t.result = mc::search(bounds, options);
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return t;
}

}  // namespace tools
