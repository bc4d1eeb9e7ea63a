#include "switchboard/http_edge.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "switchboard/thread_guard.h"

namespace sb {
namespace {

const char* reason_for(int status) {
    switch (status) {
        case 400:
            return "bad request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not found";
        case 405:
            return "method not allowed";
        case 413:
            return "request body too large";
        case 414:
            return "request URI too long";
        case 415:
            return "unsupported media type";
        case 429:
            return "too many requests";
        case 503:
            return "service unavailable";
        default:
            return status >= 500 ? "internal error" : "request failed";
    }
}

}  // namespace

void reply_json(httplib::Response& response, int status, const std::string& body) {
    response.status = status;
    response.set_content(body, "application/json");
}

std::string loggable_path(std::string_view path) {
    constexpr size_t kMaxLogged = 200;
    if (path.size() <= kMaxLogged) return std::string(path);
    return std::string(path.substr(0, kMaxLogged)) + "...";
}

void reply_error(httplib::Response& response, int status, std::string_view reason) {
    reply_json(response, status, nlohmann::json{{"error", std::string(reason)}}.dump());
}

HttpEdge::HttpEdge(std::string service, Metrics& metrics, size_t max_body_bytes, size_t threads)
    : service_(std::move(service)), metrics_(metrics), server_(threads, max_body_bytes) {
    server_.on_refused([this](const http_edge::Refusal& refused) {
        metrics_
            .counter("http_requests_total", "HTTP requests answered, by method and status",
                     {{"method", refused.method}, {"status", std::to_string(refused.status)}})
            .add();
        metrics_
            .counter("http_refused_total",
                     "Requests the edge answered itself (bad framing, too slow, too many), by "
                     "status",
                     {{"status", std::to_string(refused.status)}})
            .add();
        spdlog::info("http {} refused -> {} ({}) from {}",
                     refused.method.empty() ? "-" : refused.method, refused.status, refused.reason,
                     refused.remote_addr);
    });
    metrics_.gauge("http_connections_open", "Client connections open",
                   [this] { return static_cast<double>(server_.open_connections()); });
    // As servers do: a restart binds at once even while the last run's connections sit in
    // TIME_WAIT (SO_REUSEADDR), but a port held by a live process is refused. cpp-httplib's
    // default, SO_REUSEPORT, lets a second process listen on the same port and silently take
    // half of its connections (a stray second ingress-web, or a port handed out twice).
    server_.set_socket_options([](socket_t socket) {
        const int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // The edge refuses a larger body from its head (413) before the library sees it.
    server_.set_payload_max_length(max_body_bytes);
    // Read and write deadlines are EdgeServer's Timeouts (head 5 s, body 10 s, each write
    // 10 s); the library's read and write timeouts are not used by it.
    server_.set_keep_alive_max_count(1000);
    // An idle keep-alive connection is let go after 2 s (and the answers say so).
    server_.set_keep_alive_timeout(2);
    // Answers go out as headers then body in two writes: without this, each waits ~40 ms for
    // the client's delayed ack (measured by bench/pipeline_bench).
    server_.set_tcp_nodelay(true);

    server_.set_exception_handler([this](const httplib::Request& request,
                                         httplib::Response& response,
                                         const std::exception_ptr& failure) {
        std::string what = "unknown error";
        try {
            if (failure) std::rethrow_exception(failure);
        } catch (const std::exception& error) {
            what = error.what();
        } catch (...) {
        }
        spdlog::error("{} {} failed: {}", request.method, loggable_path(request.path), what);
        metrics_.counter("http_exceptions_total", "Handlers that threw").add();
        reply_error(response, 500, "internal error");
    });

    // Errors produced by httplib itself (404, 413, 400...) get the same JSON shape.
    server_.set_error_handler([](const httplib::Request&, httplib::Response& response) {
        if (response.body.empty())
            reply_error(response, response.status, reason_for(response.status));
    });

    server_.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
        metrics_
            .counter("http_requests_total", "HTTP requests answered, by method and status",
                     {{"method", request.method}, {"status", std::to_string(response.status)}})
            .add();
        if (request.path == "/healthz" || request.path == "/metrics") return;
        // Reads are logged at debug: pages poll, and a line a second per open browser would
        // drown what matters. Writes and failures stay at info. The path only: query strings
        // can carry tokens (TROPO_WEBHOOK_TOKEN).
        const bool routine_read = request.method == "GET" && response.status < 400;
        spdlog::log(routine_read ? spdlog::level::debug : spdlog::level::info,
                    "http {} {} -> {} ({} bytes in, {} out) from {}", request.method,
                    loggable_path(request.path), response.status, request.body.size(),
                    response.body.size(), request.remote_addr);
    });

    server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
        const bool is_ready = ready_.load();
        reply_json(
            response, is_ready ? 200 : 503,
            nlohmann::json{{"service", service_}, {"status", is_ready ? "ready" : "starting"}}
                .dump());
    });
    metrics_.gauge("exceptions_caught_total",
                   "Exceptions caught at the top of a thread or task (see the log)",
                   [] { return static_cast<double>(exceptions_caught()); });
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
        response.set_content(metrics_.render(), "text/plain; version=0.0.4");
    });
}

HttpEdge::~HttpEdge() {
    stop();
}

void HttpEdge::start(const std::string& host, int port) {
    if (port == 0) {
        port_ = server_.bind_to_any_port(host);
    } else {
        port_ = server_.bind_to_port(host, port) ? port : -1;
    }
    if (port_ <= 0) {
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                                 " (is another process using it?)");
    }
    server_.start_connections();
    // Should listening end by an exception, nothing is served any more: the service stops.
    thread_ = std::thread(
        [this] { run_guarded("http listener", [this] { server_.listen_after_bind(); }); });
    // This httplib predates wait_until_ready(): poll is_running() against a deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running()) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("HTTP server did not start");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void HttpEdge::stop() {
    if (thread_.joinable()) {
        server_.stop();
        thread_.join();
    }
    server_.stop_connections();
}

}  // namespace sb
