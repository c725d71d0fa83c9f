// raftsim: deterministic simulation testing and model checking for Raft.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "tools/raftsim/app.hpp"
#include "tools/raftsim/commands.hpp"

namespace {

// A sweep builds and drops a world per seed. By default glibc hands the top of the heap
// back to the kernel on every drop and takes it again, page by page, for the next seed:
// a tenth of a sweep's CPU went to the kernel (brk and page faults). Keeping freed memory
// for reuse changes no run, only the time it takes.
void keepFreedMemory() {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    keepFreedMemory();
    CLI::App app{"raftsim: deterministic simulation testing and model checking for Raft"};
    int code = tools::kHeld;
    tools::buildApp(app, code);
    if (argc <= 1) {  // no subcommand: say which there are
        fmt::print(stderr, "raftsim: a subcommand is required\n{}", app.help());
        return tools::kBadInput;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "raftsim: {}\n", e.what());
        return tools::kBadInput;
    }
    // A summary or verdict that never reached its reader is an error, not a result.
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        fmt::print(stderr, "raftsim: standard output: cannot write: {}\n", std::strerror(errno));
        return tools::kBadInput;
    }
    return code;
}
