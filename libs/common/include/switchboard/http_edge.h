#pragma once
// The uniform HTTP edge of every service: body-size cap, JSON errors, one log line per request,
// /healthz (200 only when ready) and /metrics.
#include <httplib.h>

#include <atomic>
#include <string>
#include <string_view>
#include <thread>

#include "switchboard/metrics.h"

namespace sb {

inline constexpr size_t kDefaultMaxBodyBytes = 256 * 1024;

// Answers {"error": reason} with `status`.
void reply_error(httplib::Response& response, int status, std::string_view reason);
void reply_json(httplib::Response& response, int status, const std::string& body);

class HttpEdge {
public:
    // cpp-httplib serves each connection on one pool thread for as long as it is kept alive:
    // `threads` is how many clients (a provider's webhook senders, browsers, nginx) can be
    // connected at once before a new one waits. Its default of 8 let 8 idle keep-alive
    // connections hold a new client off for seconds.
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
    httplib::Server server_;
    std::atomic<bool> ready_{false};
    std::thread thread_;
    int port_ = 0;
};

}  // namespace sb
