#include "tools/raftsim/parse.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

namespace tools {

namespace {

std::optional<double> parseDouble(std::string_view text) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::uint64_t> parseU64(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::optional<double> parseSeconds(std::string_view text) {
    // Longest suffixes first: "ms" and "us" before "s". Sub-second units divide, so that
    // "720ms" reads as exactly the double that "0.72" does.
    struct Unit {
        std::string_view suffix;
        double multiply, divide;
    };
    constexpr std::array<Unit, 5> kUnits{
        {{"us", 1, 1e6}, {"ms", 1, 1e3}, {"s", 1, 1}, {"m", 60, 1}, {"h", 3600, 1}}};
    for (const Unit& unit : kUnits) {
        if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
            const auto number = parseDouble(text.substr(0, text.size() - unit.suffix.size()));
            if (!number) return std::nullopt;
            return *number * unit.multiply / unit.divide;
        }
    }
    return parseDouble(text);
}

CLI::Validator durationSeconds(double minS, double maxS) {
    return CLI::Validator(
        [minS, maxS](std::string& text) -> std::string {
            const auto seconds = parseSeconds(text);
            if (!seconds) {
                return fmt::format("'{}' is not a duration (a number with a unit: 10us, 250ms, 60s, 5m, 1h; "
                                   "a bare number is seconds)", text);
            }
            if (*seconds < minS || *seconds > maxS) {
                return fmt::format("'{}' is outside [{}s, {}s]", text, minS, maxS);
            }
            text = fmt::format("{}", *seconds);
            return {};
        },
        "DURATION");
}

CLI::Validator finiteRange(double min, double max) {
    return CLI::Validator(
        [min, max](std::string& text) -> std::string {
            const auto value = parseDouble(text);
            if (!value) return fmt::format("'{}' is not a finite number", text);
            if (*value < min || *value > max) return fmt::format("'{}' is outside [{}, {}]", text, min, max);
            return {};
        },
        fmt::format("NUMBER in [{}, {}]", min, max));
}

CLI::Validator unsignedInteger() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (!parseU64(text)) return fmt::format("'{}' is not an unsigned integer below 2^64", text);
            return {};
        },
        "UINT");
}

}  // namespace tools
