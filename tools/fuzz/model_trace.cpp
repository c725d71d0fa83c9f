// The model trace reader on parsed JSON: any document is read or refused with an
// exception of the reader's (FormatError, or nlohmann's own on a wrong type), no crash.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "sim/mc/cex_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
    if (doc.is_discarded()) return 0;
    try {
        (void)mc::fromJson(doc);
    } catch (const std::exception&) {
    }
    return 0;
}
