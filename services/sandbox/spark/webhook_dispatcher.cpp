#include "webhook_dispatcher.h"

#include <spdlog/spdlog.h>

#include "switchboard/thread_guard.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

WebhookDispatcher::WebhookDispatcher(Metrics& metrics, Outcome outcome)
    : metrics_(metrics), outcome_(std::move(outcome)) {}

WebhookDispatcher::~WebhookDispatcher() {
    stop();
}

void WebhookDispatcher::enqueue(Delivery delivery) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= 100000) {
            ++failed_;
            return;  // a dead target must not grow memory without bound
        }
        queue_.push_back(std::move(delivery));
    }
    ready_.notify_one();
}

void WebhookDispatcher::start() {
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { run_guarded("spark sandbox webhooks", [this] { run(); }); });
}

void WebhookDispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        running_ = false;
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::uint64_t WebhookDispatcher::delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

std::uint64_t WebhookDispatcher::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

void WebhookDispatcher::run() {
    while (true) {
        Delivery delivery;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return !queue_.empty() || !running_; });
            if (!running_) return;
            delivery = std::move(queue_.front());
            queue_.pop_front();
        }
        const bool ok = post(delivery);
        {
            std::lock_guard lock(mutex_);
            ++(ok ? delivered_ : failed_);
        }
        metrics_
            .counter("sandbox_webhook_deliveries_total", "Webhook deliveries by outcome",
                     {{"provider", "spark"}, {"result", ok ? "delivered" : "failed"}})
            .add();
        outcome_(delivery.webhook_id, ok);
    }
}

bool WebhookDispatcher::post(const Delivery& delivery) {
    const auto scheme_end = delivery.target_url.find("://");
    if (scheme_end == std::string::npos) return false;
    const auto path_start = delivery.target_url.find('/', scheme_end + 3);
    const std::string origin = delivery.target_url.substr(0, path_start);
    const std::string path =
        path_start == std::string::npos ? "/" : delivery.target_url.substr(path_start);

    auto& client = clients_[origin];
    if (!client) {
        client = std::make_unique<httplib::Client>(origin);
        client->set_connection_timeout(2, 0);
        client->set_read_timeout(10, 0);
        client->set_keep_alive(true);
        client->set_tcp_nodelay(true);  // headers and body go in two writes: no Nagle stall
    }
    httplib::Headers headers = {{"User-Agent", "Switchboard-Sandbox-Webhooks/1.0"},
                                {"TrackingID", new_tracking_id()}};
    // Signed over exactly the bytes sent; no secret, no header (as Webex).
    if (!delivery.secret.empty()) {
        headers.emplace("X-Spark-Signature", hmac_sha1_hex(delivery.secret, delivery.body));
    }
    const auto result = client->Post(path.c_str(), headers, delivery.body, "application/json");
    if (!result) {
        clients_.erase(origin);  // start over with a fresh connection next time
        spdlog::warn("spark webhook {} -> {}: {}", delivery.webhook_id.substr(0, 12), origin,
                     httplib::to_string(result.error()));
        return false;
    }
    if (result->status < 200 || result->status >= 300) {
        spdlog::warn("spark webhook -> {}{} answered {}", origin, path, result->status);
        return false;
    }
    return true;
}

}  // namespace sb::sandbox::spark
