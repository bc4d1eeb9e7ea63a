#pragma once
// The uniform HTTP edge of every service: body-size cap, JSON errors, one log line per request,
// /healthz (200 only when ready) and /metrics, deadlines for slow clients.
#include <httplib.h>

#include <atomic>
#include <string>
#include <string_view>
#include <thread>

#include "switchboard/http_edge_server.h"
#include "switchboard/metrics.h"

namespace sb {

inline constexpr size_t kDefaultMaxBodyBytes = 256 * 1024;

// Answers {"error": reason} with `status`.
void reply_error(httplib::Response& response, int status, std::string_view reason);
void reply_json(httplib::Response& response, int status, const std::string& body);

// A request path as it may go into a log line: at most 200 bytes ("..." marks a cut). The logger
// escapes control characters and invalid UTF-8 in every line (logging::escape).
std::string loggable_path(std::string_view path);

class HttpEdge {
  public:
    // Requests are handled on threads started as needed, at most `threads` at once (and ended
    // when idle). A connection holds no thread while it waits for a request: slow or idle clients
    // are held by one thread that hands a request on only once it is whole, and a request head
    // must be whole within 5 s, its body within 10 s after it (http_edge_server.h). So `threads`
    // bounds concurrent handler work (webhooks waiting on a journal or a decision), not clients.
    static constexpr size_t kDefaultThreads = 32;
    HttpEdge(std::string service, Metrics& metrics, size_t max_body_bytes = kDefaultMaxBodyBytes,
             size_t threads = kDefaultThreads);
    ~HttpEdge();
    HttpEdge(const HttpEdge&) = delete;
    HttpEdge& operator=(const HttpEdge&) = delete;

    // Register the service's own routes here before start().
    httplib::Server& server() { return server_; }

    // Readiness for /healthz: false until the service can do its job.
    void set_ready(bool ready) { ready_.store(ready); }
    bool ready() const { return ready_.load(); }

    // Binds host:port (0 picks a free port), serves on a background thread, and returns once
    // the server accepts connections. Throws std::runtime_error when the port cannot be bound.
    void start(const std::string& host, int port);
    int port() const { return port_; }
    void stop();

  private:
    std::string service_;
    Metrics& metrics_;
    http_edge::EdgeServer server_;
    std::atomic<bool> ready_{false};
    std::thread thread_;
    int port_ = 0;
};

}  // namespace sb
