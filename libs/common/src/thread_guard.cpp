#include "switchboard/thread_guard.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <exception>
#include <string>

#include "switchboard/shutdown.h"

namespace sb {
namespace {

std::atomic<std::uint64_t> g_caught{0};

}  // namespace

void note_caught_exception(std::string_view where, std::string_view what) {
    g_caught.fetch_add(1, std::memory_order_relaxed);
    try {
        spdlog::error("{}: caught an exception: {}", where, what);
    } catch (...) {  // logging must not be what lets it escape
    }
}

void run_guarded(std::string_view thread_name, const std::function<void()>& body) {
    try {
        body();
        return;
    } catch (const std::exception& error) {
        note_caught_exception(thread_name, error.what());
    } catch (...) {
        note_caught_exception(thread_name, "unknown exception");
    }
    try {
        spdlog::error("{}: thread ended by an exception; stopping the service", thread_name);
    } catch (...) {
    }
    shutdown::request();
}

std::uint64_t exceptions_caught() {
    return g_caught.load(std::memory_order_relaxed);
}

}  // namespace sb
