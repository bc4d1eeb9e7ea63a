#pragma once
// Tropo's side of the application URL: sessions are POSTed one at a time, in the order they
// arose, from one thread; a network error or 5xx is retried a few times, as Tropo does.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "switchboard/clocks.h"

namespace sb::sandbox::tropo {

struct AppAnswer {
    int status = 0;  // 0: no HTTP answer
    std::string body;
    std::string error;
    int attempts = 0;
    // An attempt reached the application and then broke (no answer read): the application may
    // have acted on the session although it never answered.
    bool maybe_taken = false;
};

struct AppDelivery {
    std::string session_id;
    std::string body;                                // the session JSON
    std::function<void(const AppAnswer&)> answered;  // runs on the link's thread
    // Not posted before this (the sandbox's launched-session latency); the ones queued behind
    // it wait too, as sessions go out in order.
    SteadyClock::time_point not_before{};
    // Where to POST it, resolved against the application URL (a `next` handler's URL: a path,
    // a query-only reference, or an absolute URL on the application's origin); empty: the
    // application URL itself.
    std::string reference;
};

class AppLink {
  public:
    // Throws std::invalid_argument for a URL that is not http(s)://host[:port]/path.
    explicit AppLink(const std::string& app_url);
    ~AppLink();
    AppLink(const AppLink&) = delete;
    AppLink& operator=(const AppLink&) = delete;

    void start();
    void stop();  // abandons what is queued and interrupts the request in flight
    void enqueue(AppDelivery delivery);
    size_t queued() const;
    // The path (with query) `reference` names on the application's origin; nothing for a URL
    // on another origin or of another scheme.
    std::optional<std::string> resolve(const std::string& reference) const;

  private:
    void run();
    AppAnswer post(const std::string& path, const std::string& body);

    std::string origin_;
    std::string path_;  // with its query string
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<AppDelivery> queue_;
    bool running_ = false;
    httplib::Client* in_flight_ = nullptr;
    std::thread thread_;
};

}  // namespace sb::sandbox::tropo
