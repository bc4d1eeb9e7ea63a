#include "process.h"

#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sb::testing {

Process::Process(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env, const std::string& log_path) {
    std::vector<std::string> argv_storage;
    argv_storage.reserve(args.size() + 1);
    argv_storage.push_back(program);
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string pair = *entry;
        const auto equals = pair.find('=');
        if (equals != std::string::npos) merged[pair.substr(0, equals)] = pair.substr(equals + 1);
    }
    for (const auto& [name, value] : env) merged[name] = value;
    std::vector<std::string> env_storage;
    env_storage.reserve(merged.size());
    for (const auto& [name, value] : merged) {
        std::string pair = name;
        pair += '=';
        pair += value;
        env_storage.push_back(std::move(pair));
    }
    // Built before fork(): the child only calls what is async-signal-safe.
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(env_storage.size() + 1);
    for (auto& pair : env_storage) envp.push_back(pair.data());
    envp.push_back(nullptr);

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        if (!log_path.empty()) {
            const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
                ::close(fd);
            }
        }
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
}

Process::~Process() {
    if (running()) {
        kill9();
        wait_exit(std::chrono::seconds(5));
    }
}

void Process::signal(int signal_number) {
    if (pid_ > 0 && !status_) ::kill(pid_, signal_number);
}
void Process::terminate() {
    signal(SIGTERM);
}
void Process::kill9() {
    signal(SIGKILL);
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int raw = 0;
        const pid_t done = ::waitpid(pid_, &raw, WNOHANG);
        if (done == pid_) {
            status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
            return status_;
        }
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

bool Process::running() {
    if (status_ || pid_ <= 0) return false;
    return !wait_exit(std::chrono::milliseconds(0)).has_value();
}

namespace {

// Ports the kernel never picks for an outgoing connection: a port probed inside the ephemeral
// range can be taken by some client's connect() between the probe and the service's bind.
std::pair<int, int> lease_range() {
    int low = 32768;
    int high = 60999;
    std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
    if (low > 12000) return {10000, low};
    return {high + 1, 65536};
}

bool process_alive(pid_t pid) {
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

// A lease is a file named after the port holding the leasing process's id; tests running in
// parallel (ctest -j, the browser harnesses in node) skip each other's live leases, and a lease
// whose process is gone is taken over.
bool try_lease(const std::filesystem::path& file) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            const std::string pid = std::to_string(::getpid());
            const bool written =
                ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
            ::close(fd);
            return written;
        }
        pid_t holder = 0;
        std::ifstream(file) >> holder;
        if (holder == 0 || process_alive(holder)) return false;  // live, or being written
        std::filesystem::remove(file);
    }
    return false;
}

bool bindable(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    // Bound and listening, as the services will (HttpEdge and ZeroMQ both use SO_REUSEADDR).
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::listen(fd, 1) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

int free_port() {
    static std::mutex mutex;
    static std::mt19937 random{std::random_device{}()};
    std::lock_guard lock(mutex);
    const auto [first, end] = lease_range();
    const auto leases = std::filesystem::temp_directory_path() / "switchboard-test-ports";
    std::filesystem::create_directories(leases);
    const int span = end - first;
    const int start = std::uniform_int_distribution<int>(0, span - 1)(random);
    for (int step = 0; step < span; ++step) {
        const int port = first + (start + step) % span;
        if (try_lease(leases / std::to_string(port)) && bindable(port)) return port;
    }
    throw std::runtime_error("free_port: no port left to lease");
}

std::string build_dir() {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): getenv races only with setenv, which no test calls
    if (const char* dir = std::getenv("SWITCHBOARD_BUILD_DIR")) return dir;
    return SB_BUILD_DIR;
}

std::string make_temp_dir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

int http_status(int port, const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(2, 0);
    const auto result = client.Get(path.c_str());
    return result ? result->status : 0;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace sb::testing
