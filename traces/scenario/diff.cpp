#include "traces/scenario/diff.hpp"

namespace scenario {

namespace {

constexpr std::size_t kMaxLcs = 2000;  // longer blocks are shown whole, one after the other

std::vector<std::string> whole(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    std::vector<std::string> out;
    for (const std::string& l : expected) out.push_back("- " + l);
    for (const std::string& l : actual) out.push_back("+ " + l);
    return out;
}

}  // namespace

// The longest common subsequence, walked from the front.
std::vector<std::string> diffLines(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    const std::size_t n = expected.size();
    const std::size_t m = actual.size();
    if (n > kMaxLcs || m > kMaxLcs) return whole(expected, actual);
    std::vector<std::vector<std::uint16_t>> lcs(n + 1, std::vector<std::uint16_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] = expected[i] == actual[j] ? static_cast<std::uint16_t>(lcs[i + 1][j + 1] + 1)
                                                 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    std::vector<std::string> out;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && expected[i] == actual[j]) {
            out.push_back("  " + expected[i++]);
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out.push_back("- " + expected[i++]);
        } else {
            out.push_back("+ " + actual[j++]);
        }
    }
    return out;
}

}  // namespace scenario
