#include "process.h"

#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <set>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sb::testing {

Process::Process(std::string program, std::vector<std::string> args,
                 std::map<std::string, std::string> env, std::string log_path) {
    std::vector<std::string> argv_storage{program};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string pair = *entry;
        const auto equals = pair.find('=');
        if (equals != std::string::npos) merged[pair.substr(0, equals)] = pair.substr(equals + 1);
    }
    for (auto& [name, value] : env) merged[name] = value;
    std::vector<std::string> env_storage;
    for (auto& [name, value] : merged) env_storage.push_back(name + "=" + value);

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
        std::vector<char*> argv, envp;
        for (auto& arg : argv_storage) argv.push_back(arg.data());
        argv.push_back(nullptr);
        for (auto& pair : env_storage) envp.push_back(pair.data());
        envp.push_back(nullptr);
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
void Process::terminate() { signal(SIGTERM); }
void Process::kill9() { signal(SIGKILL); }

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

int free_port() {
    // The kernel may hand the same ephemeral port to two probes once the first is closed, and
    // a test asks for several ports before anything binds them: never return one twice.
    static std::mutex mutex;
    static std::set<int> handed_out;
    std::lock_guard lock(mutex);
    while (true) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        ::close(fd);
        const int port = ntohs(address.sin_port);
        if (handed_out.insert(port).second) return port;
    }
}

std::string build_dir() {
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
