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
    HttpEdge(std::string service, Metrics& metrics, size_t max_body_bytes = kDefaultMaxBodyBytes);
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
