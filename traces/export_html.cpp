#include "traces/export_html.hpp"

#include "traces/html_assets.hpp"

namespace traces {

namespace {

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
}

std::string escapeHtml(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

// Puts `value` where `marker` stands in `page` (once).
void fill(std::string& page, std::string_view marker, std::string_view value) {
    const std::size_t at = page.find(marker);
    if (at != std::string::npos) page.replace(at, marker.size(), value);
}

}  // namespace

std::string htmlPage(const HtmlJson& data) {
    // Inside <script>, "</" could close the element: JSON allows "<\/" for it.
    std::string json = data.dump();
    replaceAll(json, "</", "<\\/");
    std::string page(html::kPageHtml);
    fill(page, "@TITLE@", escapeHtml(data.value("title", std::string("raftsim trace"))));
    fill(page, "@STYLE@", html::kViewCss);
    fill(page, "@SCRIPT@", html::kViewJs);
    fill(page, "@DATA@", json);
    return page;
}

std::string exportHtml(const AnyTrace& trace, const std::string& title) {
    HtmlJson data = std::holds_alternative<Trace>(trace) ? htmlData(std::get<Trace>(trace))
                                                         : htmlData(std::get<mc::ModelTrace>(trace));
    data["title"] = title;
    return htmlPage(data);
}

}  // namespace traces
