#pragma once
// cpp-httplib's Server with its own connection handling, so that slow or idle clients cannot take
// a service down. cpp-httplib 0.11.4 serves each connection on one pool thread from accept to
// close, and its read timeout restarts with every byte: a few clients sending a byte a second
// held every thread. Here one thread (the reactor) holds every connection that is waiting for a
// request, reads what arrives, and gives a request to a handler thread (an ElasticPool) only once
// its head and body are whole; the library's process_request() then parses and routes it from
// the buffered bytes as usual. A head must be whole within Timeouts::head, a body within
// Timeouts::body after it; a request whose framing is bad is answered at once (see
// http_edge_framing.h).
//
// The library's hooks used: Server::new_task_queue (a queue that runs the accept loop's task at
// once, since the task only hands the socket over), the private virtual
// process_and_close_socket(socket_t), and the protected process_request(Stream&, ...), called
// with this file's Stream. Checked against cpp-httplib 0.11.4's source: process_request takes
// the remote and local address from the Stream and needs nothing from setup_request.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "switchboard/elastic_pool.h"

namespace sb::http_edge {

// The idle time allowed between two requests on a connection is the library's
// set_keep_alive_timeout(), which its answers also advertise (Keep-Alive: timeout=N).
struct Timeouts {
    std::chrono::milliseconds head{5000};    // from accept (or the first byte after an idle
                                             // keep-alive) to the end of the head
    std::chrono::milliseconds body{10000};   // from the end of the head to the end of the body
    std::chrono::milliseconds write{10000};  // for each write of an answer to be taken
};

// A request answered by the edge itself, before any handler: bad framing, too slow, too many.
struct Refusal {
    int status = 0;
    std::string reason;
    std::string method;  // when the request line had arrived
    std::string remote_addr;
};

class EdgeServer : public httplib::Server {
  public:
    // `max_handlers`: requests handled at once (threads, started as needed, ended when idle).
    // `max_connections`: connections open at once (lowered to fit RLIMIT_NOFILE); past it the
    // one waiting longest for its request is closed to make room.
    EdgeServer(size_t max_handlers, size_t max_body_bytes, Timeouts timeouts = {},
               size_t max_connections = 1024);
    ~EdgeServer() override;

    // Set before start_connections().
    void on_refused(std::function<void(const Refusal&)> callback);
    void set_timeouts(const Timeouts& timeouts) { timeouts_ = timeouts; }
    void set_max_body_bytes(size_t bytes) { max_body_bytes_ = bytes; }

    // After binding, before listen_after_bind(): widens the listen backlog, starts the reactor.
    // After stop(): ends every connection, wakes handlers waiting on a client, and joins the
    // threads.
    void start_connections();
    void stop_connections();

    size_t open_connections() const { return open_.load(); }
    size_t handler_threads() const { return pool_.threads(); }

    struct Connection;

  private:
    bool process_and_close_socket(socket_t sock) override;
    void run_reactor();
    void hand_back(std::shared_ptr<Connection> connection);
    void serve(const std::shared_ptr<Connection>& connection);
    // What the reactor does with a connection after reading or at its deadline; false to drop it
    // from the reactor (closed, or given to a handler).
    bool advance(const std::shared_ptr<Connection>& connection);
    bool on_deadline(const std::shared_ptr<Connection>& connection);
    bool refuse(Connection& connection, int status, const std::string& reason);
    void make_room();

    Timeouts timeouts_;
    size_t max_body_bytes_;
    const size_t max_connections_;
    ElasticPool pool_;
    std::function<void(const Refusal&)> on_refused_;
    std::atomic<size_t> open_{0};
    std::atomic<bool> stopping_{false};
    int wake_fd_ = -1;  // eventfd: something is in inbox_
    int stop_fd_ = -1;  // eventfd, never drained once written: everyone waiting wakes and leaves
    std::mutex inbox_mutex_;
    std::vector<std::shared_ptr<Connection>> inbox_;
    std::vector<std::shared_ptr<Connection>> waiting_;  // the reactor thread's own
    std::thread reactor_;
};

}  // namespace sb::http_edge
