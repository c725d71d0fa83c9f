#include "tools/raftsim/serve_http.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>

namespace tools {

void serveHttp(step::Live& live, int port) {
    httplib::Server server;
    std::mutex lock;  // one request at a time touches the session
    const auto json = [](httplib::Response& res, const step::LiveReply& r) {
        res.status = r.status;
        res.set_content(r.body, "application/json");
    };
    server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        const std::lock_guard<std::mutex> g(lock);
        res.set_content(live.page(), "text/html; charset=utf-8");
    });
    server.Post("/do", [&](const httplib::Request& req, httplib::Response& res) {
        const std::lock_guard<std::mutex> g(lock);
        json(res, live.act(req.body));
    });
    server.Post("/back", [&](const httplib::Request&, httplib::Response& res) {
        const std::lock_guard<std::mutex> g(lock);
        json(res, live.back());
    });
    server.Get("/trace.json", [&](const httplib::Request&, httplib::Response& res) {
        const std::lock_guard<std::mutex> g(lock);
        res.set_content(live.traceJson(), "application/json");
    });
    server.Get("/session.scn", [&](const httplib::Request&, httplib::Response& res) {
        const std::lock_guard<std::mutex> g(lock);
        res.set_content(live.scenarioText(), "text/plain; charset=utf-8");
    });
    const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0) throw std::runtime_error(fmt::format("--port {}: cannot listen on 127.0.0.1", port));
    fmt::print("serving on http://127.0.0.1:{}/ (stop with Ctrl-C)\n", bound);
    std::fflush(stdout);
    server.listen_after_bind();
}

}  // namespace tools
