// A small rapidcheck -> doctest adapter (Debian's rapidcheck has no doctest extra). A
// property runs under the current doctest test case's name; a failure becomes a doctest
// failure carrying rapidcheck's report (the shrunk counterexample) and the RC_PARAMS
// that re-run exactly that case.
#pragma once

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <optional>
#include <sstream>
#include <unordered_map>
#include <string>

namespace rc::detail {
// In librapidcheck, not in its headers.
std::string reproduceMapToString(const std::unordered_map<std::string, Reproduce>& reproduce);
}  // namespace rc::detail

namespace rcdoctest {

// The RC_PARAMS value that reproduces `failure` of the property with test id `id`.
inline std::string reproduceParams(const std::string& id, const rc::detail::FailureResult& failure) {
    return "reproduce=" + rc::detail::reproduceMapToString({{id, failure.reproduce}});
}

// Checks `testable`; returns the failure (if any) so a caller can expect one.
// `params` default to RC_PARAMS (a random seed unless it names one).
template <typename Testable>
std::optional<rc::detail::FailureResult> run(
    const std::string& id, Testable&& testable, std::string* report = nullptr,
    const rc::detail::TestParams& params = rc::detail::configuration().testParams) {
    rc::detail::TestMetadata metadata{.id = id, .description = id};
    const rc::detail::TestResult result =
        rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
    if (report != nullptr) {
        std::ostringstream out;
        rc::detail::printResultMessage(result, out);
        *report = out.str();
    }
    if (!result.template is<rc::detail::FailureResult>()) return std::nullopt;
    return result.template get<rc::detail::FailureResult>();
}

// Checks `testable` and fails the current doctest case with the full report if it fails.
template <typename Testable>
void check(const std::string& id, Testable&& testable) {
    std::string report;
    const auto failure = run(id, std::forward<Testable>(testable), &report);
    if (!failure) return;
    FAIL_CHECK(report << "\nReproduce with: RC_PARAMS=\"" << reproduceParams(id, *failure) << "\"");
}

}  // namespace rcdoctest
