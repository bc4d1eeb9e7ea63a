#pragma once
// Real child processes for component and system tests.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sb::testing {

class Process {
  public:
    // Starts `program` with `args`; the child's environment is the parent's plus `env`.
    // stdout and stderr go to `log_path` (appended) when given.
    Process(const std::string& program, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env = {}, const std::string& log_path = {});
    ~Process();  // kills a child that is still running
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int signal_number);
    void terminate();  // SIGTERM
    void kill9();      // SIGKILL
    // The exit code (or 128+signal) once the child ended within `timeout`.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    bool running();

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

// A TCP port on 127.0.0.1, outside the kernel's ephemeral range, leased to this process so no
// other test (C++ or the node harnesses, see ports.mjs) is handed it while this one runs.
int free_port();

// The directory of the test executables (where the services are built).
std::string build_dir();

// A new empty directory under the system temp dir.
std::string make_temp_dir(const std::string& prefix);

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        struct timespec pause = {0, 5'000'000};
        nanosleep(&pause, nullptr);
    }
    return true;
}

// GET http://127.0.0.1:port/path; the status, or 0 when nothing answered.
int http_status(int port, const std::string& path);

std::string read_file(const std::string& path);

}  // namespace sb::testing
