#include "tools/raftsim/interrupt.hpp"

#include <csignal>

namespace tools {

namespace {

std::atomic<bool> gInterrupted{false};  // lock-free: safe to store from a signal handler
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onInterrupt(int) { gInterrupted.store(true); }

}  // namespace

const std::atomic<bool>& catchInterrupts() {
    static const bool installed = [] {
        struct sigaction action {};
        action.sa_handler = onInterrupt;
        action.sa_flags = SA_RESETHAND;  // the second signal takes its default action
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        return true;
    }();
    (void)installed;
    return gInterrupted;
}

}  // namespace tools
