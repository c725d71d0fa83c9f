// The simulator trace reader: any input is read or refused with a TraceError, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "traces/json_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)traces::parseTrace(text, "fuzz");
    } catch (const traces::TraceError&) {
    }
    return 0;
}
