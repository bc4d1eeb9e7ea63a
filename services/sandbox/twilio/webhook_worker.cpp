#include "webhook_worker.h"

#include <spdlog/spdlog.h>

#include "signature.h"
#include "switchboard/ids.h"
#include "switchboard/thread_guard.h"

namespace sb::sandbox::twilio {
namespace {

constexpr int kConnectAttempts = 2;  // Twilio tries to connect twice, 5 s each
constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr auto kAnswerTimeout = std::chrono::seconds(15);

}  // namespace

bool split_url(const std::string& url, std::string& origin, std::string& path) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return false;
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") return false;
    const auto path_start = url.find_first_of("/?", scheme_end + 3);
    origin = url.substr(0, path_start);
    if (origin.size() <= scheme_end + 3) return false;
    path = path_start == std::string::npos ? "/" : url.substr(path_start);
    if (path[0] == '?') path = "/" + path;
    return true;
}

WebhookWorker::WebhookWorker(std::string name) : name_(std::move(name)) {}

WebhookWorker::~WebhookWorker() {
    stop();
}

void WebhookWorker::start() {
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { run_guarded(name_.c_str(), [this] { run(); }); });
}

void WebhookWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
        queue_.clear();
        if (in_flight_ != nullptr) in_flight_->stop();
        wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void WebhookWorker::enqueue(std::function<void()> task, SteadyClock::time_point not_before) {
    std::lock_guard lock(mutex_);
    queue_.push_back(Task{std::move(task), not_before});
    wake_.notify_all();
}

size_t WebhookWorker::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

bool WebhookWorker::running() const {
    std::lock_guard lock(mutex_);
    return running_;
}

void WebhookWorker::run() {
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return !running_ || !queue_.empty(); });
            if (!running_) return;
            task = std::move(queue_.front());
            queue_.pop_front();
            wake_.wait_until(lock, task.not_before, [this] { return !running_; });
            if (!running_) return;
        }
        try {
            task.run();
        } catch (const std::exception& error) {
            spdlog::error("{}: a task failed: {}", name_, error.what());
        }
    }
}

WebhookAnswer WebhookWorker::send(const Outgoing& outgoing, const std::string& auth_token) {
    WebhookAnswer answer;
    std::string origin;
    std::string path;
    if (!split_url(outgoing.url, origin, path)) {
        answer.error = "not an http(s) URL";
        return answer;
    }
    const bool get = outgoing.method == "GET";
    std::string signed_url = outgoing.url;
    if (get && !outgoing.params.empty()) {
        const std::string query = encode_form(outgoing.params);
        const char joint = outgoing.url.find('?') == std::string::npos ? '?' : '&';
        signed_url += joint + query;
        path += joint + query;
    }
    answer.signature = twilio_signature(auth_token, signed_url, get ? Params{} : outgoing.params);
    httplib::Headers headers = {{"X-Twilio-Signature", answer.signature},
                                {"I-Twilio-Idempotency-Token", new_id()},
                                {"User-Agent", "TwilioProxy/1.1"},
                                {"Accept", "*/*"}};
    if (!connect_via_.empty()) {
        // The request is for the URL's host; only the connection goes elsewhere.
        headers.emplace("Host", origin.substr(origin.find("://") + 3));
        origin = connect_via_;
    }
    const std::string body = get ? std::string() : encode_form(outgoing.params);
    for (int attempt = 1; attempt <= kConnectAttempts; ++attempt) {
        httplib::Client client(origin);
        client.set_connection_timeout(kConnectTimeout);
        client.set_read_timeout(kAnswerTimeout);
        client.set_keep_alive(false);
        client.set_tcp_nodelay(true);
        {
            std::lock_guard lock(mutex_);
            if (!running_) break;
            in_flight_ = &client;
        }
        auto result =
            get ? client.Get(path.c_str(), headers)
                : client.Post(path.c_str(), headers, body, "application/x-www-form-urlencoded");
        {
            std::lock_guard lock(mutex_);
            in_flight_ = nullptr;
        }
        answer.attempts = attempt;
        if (result) {
            answer.status = result->status;
            answer.body = result->body;
            answer.content_type = result->get_header_value("Content-Type");
            answer.error.clear();
            break;
        }
        answer.error = httplib::to_string(result.error());
        // Only a connection that never opened is tried again.
        if (result.error() != httplib::Error::Connection) break;
    }
    return answer;
}

WebhookAnswer WebhookWorker::fetch(const std::string& url, size_t max_bytes) {
    WebhookAnswer answer;
    std::string origin;
    std::string path;
    if (!split_url(url, origin, path)) {
        answer.error = "not an http(s) URL";
        return answer;
    }
    httplib::Client client(origin);
    client.set_connection_timeout(kConnectTimeout);
    client.set_read_timeout(kAnswerTimeout);
    client.set_keep_alive(false);
    client.set_follow_location(true);
    {
        std::lock_guard lock(mutex_);
        if (!running_) {
            answer.error = "stopping";
            return answer;
        }
        in_flight_ = &client;
    }
    bool too_large = false;
    std::string body;
    auto result = client.Get(
        path.c_str(), httplib::Headers{{"User-Agent", "TwilioProxy/1.1"}},
        [&](const httplib::Response&) { return true; },
        [&](const char* data, size_t length) {
            if (body.size() + length > max_bytes) {
                too_large = true;
                return false;
            }
            body.append(data, length);
            return true;
        });
    {
        std::lock_guard lock(mutex_);
        in_flight_ = nullptr;
    }
    answer.attempts = 1;
    if (too_large) {
        answer.error = "larger than " + std::to_string(max_bytes) + " bytes";
        return answer;
    }
    if (!result) {
        answer.error = httplib::to_string(result.error());
        return answer;
    }
    answer.status = result->status;
    answer.body = std::move(body);
    answer.content_type = result->get_header_value("Content-Type");
    return answer;
}

}  // namespace sb::sandbox::twilio
