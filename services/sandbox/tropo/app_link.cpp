#include "app_link.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "switchboard/thread_guard.h"

namespace sb::sandbox::tropo {
namespace {

constexpr int kAttempts = 3;
constexpr auto kRetryPause = std::chrono::milliseconds(250);

}  // namespace

AppLink::AppLink(const std::string& app_url) {
    const auto scheme_end = app_url.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "" : app_url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") {
        throw std::invalid_argument("application URL must be http(s)://host[:port]/path: " +
                                    app_url);
    }
    const auto path_start = app_url.find('/', scheme_end + 3);
    origin_ = app_url.substr(0, path_start);
    path_ = path_start == std::string::npos ? "/" : app_url.substr(path_start);
}

AppLink::~AppLink() {
    stop();
}

void AppLink::start() {
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    thread_ = std::thread([this] { run_guarded("tropo sandbox app link", [this] { run(); }); });
}

void AppLink::stop() {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
        queue_.clear();
        if (in_flight_ != nullptr) in_flight_->stop();
        wake_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void AppLink::enqueue(AppDelivery delivery) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(delivery));
    wake_.notify_all();
}

size_t AppLink::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void AppLink::run() {
    for (;;) {
        AppDelivery delivery;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return !running_ || !queue_.empty(); });
            if (!running_) return;
            delivery = std::move(queue_.front());
            queue_.pop_front();
            // A held session (the launched-session latency) waits its turn; stop() cuts it short.
            wake_.wait_until(lock, delivery.not_before, [this] { return !running_; });
            if (!running_) return;
        }
        const auto path = resolve(delivery.reference);
        AppAnswer answer;
        if (path) {
            answer = post(*path, delivery.body);
        } else {
            answer.error = "the URL " + delivery.reference + " is not on the application's origin";
        }
        {
            std::lock_guard lock(mutex_);
            if (!running_) return;
        }
        if (answer.status == 0 || answer.status >= 300) {
            spdlog::warn("tropo sandbox: application answered session {} with {}",
                         delivery.session_id,
                         answer.status == 0 ? answer.error : std::to_string(answer.status));
        }
        if (delivery.answered) delivery.answered(answer);
    }
}

std::optional<std::string> AppLink::resolve(const std::string& reference) const {
    if (reference.empty()) return path_;
    if (reference.rfind("http://", 0) == 0 || reference.rfind("https://", 0) == 0) {
        if (reference.rfind(origin_, 0) != 0) return std::nullopt;
        const std::string rest = reference.substr(origin_.size());
        if (rest.empty()) return std::string("/");
        if (rest[0] != '/' && rest[0] != '?') return std::nullopt;  // a longer host name
        return rest[0] == '/' ? rest : "/" + rest;
    }
    if (reference.find("://") != std::string::npos) return std::nullopt;
    const std::string base = path_.substr(0, path_.find('?'));
    if (reference[0] == '/') return reference;
    if (reference[0] == '?') return base + reference;  // same path, the reference's query
    return base.substr(0, base.rfind('/') + 1) + reference;
}

AppAnswer AppLink::post(const std::string& path, const std::string& body) {
    AppAnswer answer;
    bool maybe_taken = false;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        httplib::Client client(origin_);
        client.set_connection_timeout(std::chrono::seconds(2));
        client.set_read_timeout(std::chrono::seconds(10));
        client.set_keep_alive(false);
        client.set_tcp_nodelay(true);  // headers and body go in two writes: no Nagle stall
        {
            std::lock_guard lock(mutex_);
            if (!running_) break;
            in_flight_ = &client;
        }
        auto result = client.Post(path.c_str(), body, "application/json");
        {
            std::lock_guard lock(mutex_);
            in_flight_ = nullptr;
        }
        answer = AppAnswer{};
        answer.attempts = attempt;
        if (result) {
            answer.status = result->status;
            answer.body = result->body;
        } else {
            answer.error = httplib::to_string(result.error());
            maybe_taken = maybe_taken || result.error() == httplib::Error::Read ||
                          result.error() == httplib::Error::Write;
        }
        answer.maybe_taken = maybe_taken;
        if (answer.status != 0 && answer.status < 500) break;
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, kRetryPause * attempt, [this] { return !running_; })) break;
    }
    return answer;
}

}  // namespace sb::sandbox::tropo
