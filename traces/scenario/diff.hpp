// A line diff of an expected and an actual output, for a failing scenario: lines only
// expected start with "- ", lines only actual with "+ ", common lines with "  ".
#pragma once

#include <string>
#include <vector>

namespace scenario {

std::vector<std::string> diffLines(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

}  // namespace scenario
