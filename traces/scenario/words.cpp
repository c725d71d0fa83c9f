#include "traces/scenario/words.hpp"

namespace scenario {

namespace {
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
}  // namespace

std::string trimRight(std::string_view s) {
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    return trimRight(s);
}

std::vector<std::string> splitWords(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && blank(s[i])) ++i;
        const std::size_t start = i;
        while (i < s.size() && !blank(s[i])) ++i;
        if (i > start) words.emplace_back(s.substr(start, i - start));
    }
    return words;
}

std::optional<int> number(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int value = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::string printable(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            out += fmt::format("\\x{:02x}", u);
        } else {
            out += c;  // printable ASCII, or a byte of a UTF-8 sequence (§ and the like)
        }
    }
    return out;
}

std::optional<std::size_t> invalidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        // The sequence's length and the range its second byte must be in (RFC 3629 §4).
        std::size_t length = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            if (b == 0xe0) lo = 0xa0;  // no overlong form
            if (b == 0xed) hi = 0x9f;  // no surrogate
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            if (b == 0xf0) lo = 0x90;  // no overlong form
            if (b == 0xf4) hi = 0x8f;  // nothing past U+10FFFF
        } else {
            return i;
        }
        if (i + length > s.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) return i;
        }
        i += length;
    }
    return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> keyValue(std::string_view s) {
    const std::size_t eq = s.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    return std::pair<std::string, std::string>{std::string(s.substr(0, eq)), std::string(s.substr(eq + 1))};
}

}  // namespace scenario
