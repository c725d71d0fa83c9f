// Small text helpers of the scenario parser.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scenario {

std::string trim(std::string_view s);
std::string trimRight(std::string_view s);
std::vector<std::string> splitWords(std::string_view s);
// A decimal number of at most 9 digits, nothing else.
std::optional<int> number(std::string_view s);
// `s` with every byte outside printable ASCII and UTF-8 written as \xNN, and no line
// breaks: an error message stays one readable line whatever the input held.
std::string printable(std::string_view s);
// The offset of the first byte of `s` that does not belong to well-formed UTF-8 (an
// overlong form, a surrogate, past U+10FFFF, a cut sequence); nullopt when all is well.
std::optional<std::size_t> invalidUtf8(std::string_view s);
// "key=value" split at the first '='; nullopt without one.
std::optional<std::pair<std::string, std::string>> keyValue(std::string_view s);

}  // namespace scenario
