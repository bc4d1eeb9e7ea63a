#pragma once
// SIGTERM/SIGINT end a service cleanly: the handler only sets a flag, loops poll it.
#include <chrono>

namespace sb::shutdown {

void install_signal_handlers();
bool requested();
void request();  // for tests and for fatal errors found on a worker thread
// Returns true when shutdown was requested within `timeout`.
bool wait_for(std::chrono::milliseconds timeout);
// Blocks until shutdown is requested.
void wait();

}  // namespace sb::shutdown
