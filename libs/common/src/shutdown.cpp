#include "switchboard/shutdown.h"

#include <atomic>
#include <csignal>
#include <thread>

namespace sb::shutdown {
namespace {

volatile std::sig_atomic_t g_signalled = 0;
std::atomic<bool> g_requested{false};

extern "C" void on_signal(int) {
    g_signalled = 1;
}

}  // namespace

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool requested() {
    return g_signalled != 0 || g_requested.load();
}

void request() {
    g_requested.store(true);
}

bool wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!requested()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void wait() {
    while (!wait_for(std::chrono::milliseconds(100))) {
    }
}

}  // namespace sb::shutdown
