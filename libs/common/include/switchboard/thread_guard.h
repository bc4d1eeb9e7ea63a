#pragma once
// No exception may escape a thread: std::terminate would end the whole service without a word
// about why. Every thread body and pool task ends in one of these.
#include <cstdint>
#include <functional>
#include <string_view>

namespace sb {

// Logs an exception that reached the top of a thread or a task (`where` names it) and counts it
// in exceptions_caught(). For a catch (...) pass what = "unknown exception".
void note_caught_exception(std::string_view where, std::string_view what);

// Runs a thread's body. An exception escaping it is noted and then ends the service cleanly
// (shutdown::request(): main returns, every part stops in order): the thread's job is no longer
// done, and a restarted service is better than one that answers /healthz and does nothing.
void run_guarded(std::string_view thread_name, const std::function<void()>& body);

// Exceptions noted so far in this process; HttpEdge exports it as
// switchboard_exceptions_caught_total.
std::uint64_t exceptions_caught();

}  // namespace sb
