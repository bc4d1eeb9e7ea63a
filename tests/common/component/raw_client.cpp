#include "raw_client.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace sb::testing {

RawConnection::RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd_ >= 0) ::close(fd_);
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
}

RawConnection::~RawConnection() {
    ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
    if (closed_) return false;
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        sent += static_cast<size_t>(n);
    }
    return true;
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds timeout) {
    std::string answer;
    closed_within(timeout, &answer);
    return answer;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout, std::string* answer) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd fds{fd_, POLLIN, 0};
        if (::poll(&fds, 1, static_cast<int>(left.count())) <= 0) continue;
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            closed_ = true;
            return true;
        }
        if (answer != nullptr) answer->append(buffer, static_cast<size_t>(n));
    }
}

}  // namespace sb::testing
