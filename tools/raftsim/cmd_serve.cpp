// `raftsim serve [--port P] [same flags as step]`: the html page, live on localhost. The
// student clicks what happens next, goes back, and saves the session as a scenario or a
// model trace. Needs cpp-httplib at build time (Debian: libcpp-httplib-dev); without it
// the command says so.
#include <fmt/format.h>

#include "tools/raftsim/commands.hpp"
#include "tools/raftsim/step_start.hpp"
#include "traces/step/live.hpp"

#ifdef RAFTSIM_HAVE_HTTPLIB
#include "tools/raftsim/serve_http.hpp"
#endif

namespace tools {

void addServe(CLI::App& app, int& code) {
    auto* cmd = app.add_subcommand("serve", "the html page, live on localhost: click what happens next");
    auto a = std::make_shared<StepArgs>();
    auto port = std::make_shared<int>(8014);
    cmd->add_option("--port", *port, "the port on 127.0.0.1 (0: any free one)")->check(CLI::Range(0, 65535));
    const StepFlags flags = addStepFlags(cmd, *a);
    cmd->callback([a, port, flags, &code] {
        flags.noteClusterFlags(*a);
#ifdef RAFTSIM_HAVE_HTTPLIB
        step::Live live(startStepper(*a));
        serveHttp(live, *port);
        code = kHeld;
#else
        (void)code;
        throw std::runtime_error("serve is missing: raftsim was built without cpp-httplib (Debian: libcpp-httplib-dev; "
                                 "install it and reconfigure)");
#endif
    });
}

}  // namespace tools
