#include "switchboard/http_edge_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "switchboard/clocks.h"
#include "switchboard/http_edge_framing.h"
#include "switchboard/thread_guard.h"

namespace sb::http_edge {

namespace {

constexpr auto kDrainTime = std::chrono::seconds(1);
constexpr size_t kReadPiece = 16 * 1024;

// The accept loop's task only hands the socket to the reactor: run it at once, on that thread.
class HandOverQueue final : public httplib::TaskQueue {
  public:
    void enqueue(std::function<void()> task) override { task(); }
    void shutdown() override {}
};

int milliseconds_until(SteadyClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    return static_cast<int>(std::clamp<long long>(left.count() + 1, 0, 60'000));
}

// Waits until `fd` is ready for `events`, `deadline` passes (false) or `stop_fd` is written
// (false).
bool wait_for(int fd, short events, int stop_fd, SteadyClock::time_point deadline) {
    for (;;) {
        pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
        const int ready = ::poll(fds, 2, milliseconds_until(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0 || fds[1].revents != 0) return false;
        if (fds[0].revents != 0) return true;
        if (SteadyClock::now() >= deadline) return false;
    }
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int got = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                         : ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (got != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
        ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        port = ntohs(v4->sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
        port = ntohs(v6->sin6_port);
    }
    ip = text;
}

// Past RLIMIT_NOFILE accept() fails and cpp-httplib's loop retries it every millisecond: keep
// the cap below it, leaving room for journals, ZeroMQ sockets and outbound HTTP.
size_t connections_the_fd_limit_allows() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
    return limit.rlim_cur > 256 ? static_cast<size_t>(limit.rlim_cur) - 128 : 64;
}

}  // namespace

struct EdgeServer::Connection {
    enum class Phase { head, body, handling, draining };

    Connection(int socket, std::atomic<size_t>& open_count) : fd(socket), open(open_count) {
        ++open;
    }
    ~Connection() {
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
        --open;
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Waits for the next request: the buffer may already hold (part of) it.
    void await_request(const Timeouts& timeouts, std::chrono::milliseconds keep_alive,
                       bool kept_alive) {
        phase = Phase::head;
        scanned = 0;
        head_size = 0;
        verdict = {};
        chunked = {};
        idle = kept_alive && buffer.empty();
        since = SteadyClock::now();
        deadline = since + (idle ? keep_alive : timeouts.head);
    }

    const int fd;
    std::atomic<size_t>& open;
    std::string buffer;  // read from the client, not yet given to the library
    Phase phase = Phase::head;
    bool idle = false;  // kept alive, nothing of the next request yet
    SteadyClock::time_point since;
    SteadyClock::time_point deadline;
    size_t scanned = 0;
    size_t head_size = 0;
    HeadVerdict verdict;
    ChunkedScan chunked;
    size_t served = 0;
    // Its body is over the cap: the library answers it (so that the service's error handler
    // renders the 413) from the head alone, then the connection is drained and closed.
    bool over_cap = false;
};

namespace {

// The library's view of a connection: the buffered request first, then the socket, every wait
// bounded by a deadline and cut short by the stop signal.
class EdgeStream final : public httplib::Stream {
  public:
    EdgeStream(EdgeServer::Connection& connection, int stop_fd, const Timeouts& timeouts)
        : end_after_buffer_(connection.over_cap),
          connection_(connection),
          stop_fd_(stop_fd),
          read_deadline_(SteadyClock::now() + timeouts.body),
          write_timeout_(timeouts.write) {}

    bool is_readable() const override {
        return consumed_ < connection_.buffer.size() ||
               wait_for(connection_.fd, POLLIN, stop_fd_, read_deadline_);
    }
    bool is_writable() const override {
        return wait_for(connection_.fd, POLLOUT, stop_fd_, SteadyClock::now() + write_timeout_);
    }
    ssize_t read(char* destination, size_t size) override {
        if (consumed_ < connection_.buffer.size()) {
            const size_t n = std::min(size, connection_.buffer.size() - consumed_);
            std::memcpy(destination, connection_.buffer.data() + consumed_, n);
            consumed_ += n;
            return static_cast<ssize_t>(n);
        }
        if (end_after_buffer_) return 0;
        for (;;) {
            const ssize_t n = ::recv(connection_.fd, destination, size, 0);
            if (n >= 0) return n;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            if (!wait_for(connection_.fd, POLLIN, stop_fd_, read_deadline_)) return -1;
        }
    }
    ssize_t write(const char* source, size_t size) override {
        const auto deadline = SteadyClock::now() + write_timeout_;
        size_t sent = 0;
        while (sent < size) {
            const ssize_t n = ::send(connection_.fd, source + sent, size - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<size_t>(n);
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_for(connection_.fd, POLLOUT, stop_fd_, deadline)) return -1;
            } else {
                return -1;
            }
        }
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address_of(connection_.fd, true, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        address_of(connection_.fd, false, ip, port);
    }
    socket_t socket() const override { return connection_.fd; }

    size_t consumed() const { return consumed_; }

  private:
    const bool end_after_buffer_;
    EdgeServer::Connection& connection_;
    const int stop_fd_;
    const SteadyClock::time_point read_deadline_;
    const std::chrono::milliseconds write_timeout_;
    size_t consumed_ = 0;
};

// Reads what is there, at most `limit` bytes in all into `buffer`: the bytes read, 0 at the end
// of the stream, -1 on an error, -2 when nothing is there yet.
ssize_t read_available(int fd, std::string& buffer, size_t limit) {
    if (buffer.size() >= limit) return -2;
    ssize_t total = 0;
    while (buffer.size() < limit) {
        const size_t want = std::min(kReadPiece, limit - buffer.size());
        const size_t old_size = buffer.size();
        buffer.resize(old_size + want);
        const ssize_t n = ::recv(fd, buffer.data() + old_size, want, 0);
        buffer.resize(old_size + static_cast<size_t>(std::max<ssize_t>(n, 0)));
        if (n > 0) {
            total += n;
            continue;
        }
        if (n == 0) return total > 0 ? total : 0;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return total > 0 ? total : -2;
        return -1;
    }
    return total;
}

std::string method_of(const std::string& buffer) {
    const size_t space = buffer.find(' ');
    if (space > 16) return {};  // npos too: no space at all
    return buffer.substr(0, space);
}

}  // namespace

EdgeServer::EdgeServer(size_t max_handlers, size_t max_body_bytes, Timeouts timeouts,
                       size_t max_connections)
    : timeouts_(timeouts),
      max_body_bytes_(max_body_bytes),
      max_connections_(std::min(max_connections, connections_the_fd_limit_allows())),
      pool_(max_handlers) {
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0 || stop_fd_ < 0) throw std::runtime_error("eventfd failed");
    new_task_queue = [] { return new HandOverQueue; };
}

EdgeServer::~EdgeServer() {
    stop_connections();
    ::close(wake_fd_);
    ::close(stop_fd_);
}

void EdgeServer::on_refused(std::function<void(const Refusal&)> callback) {
    on_refused_ = std::move(callback);
}

void EdgeServer::start_connections() {
    if (reactor_.joinable()) return;
    // cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
    // library): a burst of new connections overflowed it, and each dropped SYN cost its client a
    // 1 s (then 3 s) retransmission. Listening again on the bound socket widens the queue.
    if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
    // Should the reactor fail, no connection is served any more: the service stops (run_guarded).
    reactor_ = std::thread([this] { run_guarded("http reactor", [this] { run_reactor(); }); });
}

void EdgeServer::stop_connections() {
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof one);
    if (reactor_.joinable()) reactor_.join();
    pool_.shutdown();
    std::lock_guard lock(inbox_mutex_);
    inbox_.clear();
}

bool EdgeServer::process_and_close_socket(socket_t sock) {
    // On the accept loop's thread: hand the socket to the reactor and return at once.
    const int flags = ::fcntl(sock, F_GETFL, 0);
    ::fcntl(sock, F_SETFL, flags | O_NONBLOCK);
    const int yes = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    auto connection = std::make_shared<Connection>(sock, open_);
    if (stopping_) return false;
    connection->await_request(timeouts_, {}, false);
    hand_back(std::move(connection));
    return true;
}

void EdgeServer::hand_back(std::shared_ptr<Connection> connection) {
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(connection));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

void EdgeServer::make_room() {
    while (open_.load() > max_connections_ && !waiting_.empty()) {
        // The connection waiting longest for its request goes: a flood of new connections
        // cannot keep out a client that sends its request promptly.
        const auto oldest =
            std::min_element(waiting_.begin(), waiting_.end(),
                             [](const auto& a, const auto& b) { return a->since < b->since; });
        if (!(*oldest)->idle) refuse(**oldest, 503, "too many connections");
        waiting_.erase(oldest);
    }
}

void EdgeServer::run_reactor() {
    std::vector<pollfd> fds;
    while (!stopping_) {
        {
            std::lock_guard lock(inbox_mutex_);
            for (auto& connection : inbox_) waiting_.push_back(std::move(connection));
            inbox_.clear();
        }
        make_room();
        // Bytes already buffered (a pipelined request handed back) are judged before waiting.
        waiting_.erase(std::remove_if(waiting_.begin(), waiting_.end(),
                                      [this](const auto& connection) {
                                          return !connection->buffer.empty() &&
                                                 connection->phase == Connection::Phase::head &&
                                                 connection->scanned == 0 && !advance(connection);
                                      }),
                       waiting_.end());

        fds.clear();
        fds.push_back({wake_fd_, POLLIN, 0});
        fds.push_back({stop_fd_, POLLIN, 0});
        auto next_deadline = SteadyClock::now() + std::chrono::seconds(60);
        for (const auto& connection : waiting_) {
            fds.push_back({connection->fd, POLLIN, 0});
            next_deadline = std::min(next_deadline, connection->deadline);
        }
        const int ready = ::poll(fds.data(), fds.size(), milliseconds_until(next_deadline));
        if (ready < 0 && errno != EINTR) break;
        if (fds[1].revents != 0) break;
        if (fds[0].revents != 0) {
            std::uint64_t count = 0;
            [[maybe_unused]] const ssize_t got = ::read(wake_fd_, &count, sizeof count);
        }
        const auto now = SteadyClock::now();
        std::vector<std::shared_ptr<Connection>> kept;
        kept.reserve(waiting_.size());
        for (size_t i = 0; i < waiting_.size(); ++i) {
            const auto& connection = waiting_[i];
            bool keep = true;
            if (ready > 0 && fds[i + 2].revents != 0) keep = advance(connection);
            if (keep && now >= connection->deadline) keep = on_deadline(connection);
            if (keep) kept.push_back(connection);
        }
        waiting_.swap(kept);
    }
    waiting_.clear();
}

bool EdgeServer::advance(const std::shared_ptr<Connection>& connection) {
    Connection& c = *connection;
    using Phase = Connection::Phase;
    size_t limit = kMaxHeadBytes;
    if (c.phase == Phase::body) {
        limit = c.verdict.framing == Framing::length
                    ? c.head_size + c.verdict.content_length
                    : c.head_size + 2 * max_body_bytes_ + 64 * 1024;  // chunk sizes and CRLFs
    } else if (c.phase == Phase::draining) {
        limit = c.buffer.size() + kReadPiece;
    }
    const ssize_t got = read_available(c.fd, c.buffer, limit);
    if (got == 0 || got == -1) return false;  // the client is gone: close
    if (c.phase == Phase::draining) {
        c.buffer.clear();
        return true;
    }

    if (c.phase == Phase::head) {
        if (c.idle && !c.buffer.empty()) {
            c.idle = false;
            c.deadline = SteadyClock::now() + timeouts_.head;
        }
        const size_t end = head_end(c.buffer, c.scanned);
        c.scanned = c.buffer.size();
        if (end == std::string::npos) {
            if (c.buffer.size() >= kMaxHeadBytes) return refuse(c, 431, "request head too large");
            return true;
        }
        c.verdict = judge_head(std::string_view(c.buffer).substr(0, end), max_body_bytes_);
        if (c.verdict.status == 413) {
            // cpp-httplib refuses it too, reading nothing of the body when there is none to
            // read: the service's error handler gets to answer (ingress-web renders a page).
            c.buffer = without_expect(std::string_view(c.buffer).substr(0, end));
            c.over_cap = true;
            c.phase = Phase::handling;
            pool_.submit([this, connection] { serve(connection); });
            return false;
        }
        if (c.verdict.status != 0) return refuse(c, c.verdict.status, c.verdict.reason);
        c.head_size = end;
        if (c.verdict.expect_continue) {
            std::string head = without_expect(std::string_view(c.buffer).substr(0, end));
            const bool body_started = c.buffer.size() > end;
            c.buffer = head + c.buffer.substr(end);
            c.head_size = head.size();
            if (!body_started) {
                static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                ::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
        }
        if (c.verdict.framing != Framing::none) {
            c.phase = Phase::body;
            c.deadline = SteadyClock::now() + timeouts_.body;
        }
    }

    if (c.phase == Phase::body) {
        if (c.verdict.framing == Framing::length) {
            if (c.buffer.size() < c.head_size + c.verdict.content_length) return true;
        } else {
            scan_chunked(std::string_view(c.buffer).substr(c.head_size), max_body_bytes_,
                         c.chunked);
            using State = ChunkedScan::State;
            if (c.chunked.state == State::invalid) return refuse(c, 400, "malformed chunked body");
            // A chunked body over the cap goes to the library as it stands: the service's reader
            // refuses it its own way (ingress-web drains it and renders its 413 page), reading
            // the rest under the stream's body deadline.
            if (c.chunked.state == State::incomplete && c.buffer.size() < limit) {
                return true;
            }
        }
    }

    // Whole (or a chunked body past the cap): to a handler thread.
    c.phase = Phase::handling;
    pool_.submit([this, connection] { serve(connection); });
    return false;
}

bool EdgeServer::on_deadline(const std::shared_ptr<Connection>& connection) {
    Connection& c = *connection;
    switch (c.phase) {
        case Connection::Phase::head:
            // Nothing since the last answer (or since accept): let it go without a word.
            if (c.buffer.empty()) return false;
            return refuse(c, 408, "request head not complete in time");
        case Connection::Phase::body:
            return refuse(c, 408, "request body not complete in time");
        default:
            return false;
    }
}

bool EdgeServer::refuse(Connection& c, int status, const std::string& reason) {
    if (on_refused_) {
        Refusal refusal{status, reason, method_of(c.buffer), {}};
        int port = 0;
        address_of(c.fd, true, refusal.remote_addr, port);
        try {
            on_refused_(refusal);
        } catch (...) {
        }
    }
    const std::string answer = error_response(status, reason);
    ::send(c.fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    // Read (and drop) what the client still sends for a moment, so that the answer is not lost
    // to a reset from closing a socket with unread data.
    ::shutdown(c.fd, SHUT_WR);
    c.buffer.clear();
    c.phase = Connection::Phase::draining;
    c.deadline = SteadyClock::now() + kDrainTime;
    return true;
}

void EdgeServer::serve(const std::shared_ptr<Connection>& connection) {
    if (stopping_) return;
    Connection& c = *connection;
    EdgeStream stream(c, stop_fd_, timeouts_);
    const bool last = stopping_ || c.over_cap || c.served + 1 >= keep_alive_max_count_;
    bool closed_by_client = false;
    const bool answered = process_request(stream, last, closed_by_client, nullptr);
    ++c.served;
    c.buffer.erase(0, std::min(stream.consumed(), c.buffer.size()));
    if (c.over_cap && answered && !stopping_) {
        // The client may still be sending the body: read and drop it for a moment, so that
        // closing with unread data does not reset the connection before the answer is read.
        ::shutdown(c.fd, SHUT_WR);
        c.buffer.clear();
        c.phase = Connection::Phase::draining;
        c.deadline = SteadyClock::now() + kDrainTime;
        hand_back(connection);
        return;
    }
    if (!answered || closed_by_client || last || stopping_) return;  // closes it
    c.await_request(timeouts_, std::chrono::seconds(keep_alive_timeout_sec_), true);
    hand_back(connection);
}

}  // namespace sb::http_edge
