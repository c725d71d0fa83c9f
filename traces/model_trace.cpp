#include "traces/model_trace.hpp"

#include <fmt/format.h>

#include <fstream>

#include "traces/files.hpp"
#include "traces/json_read.hpp"
#include "traces/json_write.hpp"

namespace traces {

namespace {

mc::ModelTrace modelFromJson(const nlohmann::json& doc, const std::string& source) {
    try {
        return mc::fromJson(doc);
    } catch (const mc::FormatError& e) {
        throw TraceError(fmt::format("{}: {}", source, e.what()));
    }
}

}  // namespace

std::string dump(const mc::ModelTrace& trace) { return layoutText(mc::toJson(trace)); }

void writeTrace(const std::string& path, const mc::ModelTrace& trace) {
    writeTextFile(path, dump(trace));
}

mc::ModelTrace parseModelTrace(const std::string& text, const std::string& source) {
    const nlohmann::json doc = parseDocument(text, source);
    if (engineOf(doc, source) != Engine::Model) {
        throw TraceError(fmt::format("{}: field 'engine': expected \"model\" (a model-checker trace)", source));
    }
    return modelFromJson(doc, source);
}

AnyTrace parseAnyTrace(const std::string& text, const std::string& source) {
    const nlohmann::json doc = parseDocument(text, source);
    if (engineOf(doc, source) == Engine::Model) return modelFromJson(doc, source);
    return traceFromJson(doc, source);
}

AnyTrace readAnyTrace(const std::string& path) { return parseAnyTrace(readText(path), path); }

}  // namespace traces
