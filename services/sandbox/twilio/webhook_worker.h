#pragma once
// Twilio's side of an application's URLs: one thread that runs tasks in the order they were
// queued (each no earlier than its time) and, inside them, POSTs (or GETs) signed forms the way
// Twilio does: X-Twilio-Signature, two connection attempts, 15 s for the whole answer, no
// redelivery of an answered request (a non-2xx is just an error, error 11200).
#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "form.h"
#include "switchboard/clocks.h"

namespace sb::sandbox::twilio {

struct Outgoing {
    std::string url;  // absolute, with its query: what is signed
    std::string method = "POST";
    Params params;
};

struct WebhookAnswer {
    int status = 0;  // 0: no HTTP answer
    std::string body;
    std::string content_type;
    std::string error;
    int attempts = 0;
    std::string signature;  // what X-Twilio-Signature carried
};

// "http://host:port" and "/path?query" of an absolute URL; nothing when it is no http(s) URL.
bool split_url(const std::string& url, std::string& origin, std::string& path);

class WebhookWorker {
  public:
    explicit WebhookWorker(std::string name);
    ~WebhookWorker();
    WebhookWorker(const WebhookWorker&) = delete;
    WebhookWorker& operator=(const WebhookWorker&) = delete;

    // Connect to `origin` (http://host:port) instead of each URL's own host, still signing and
    // sending (Host) the URL as given: a public URL in front of a proxy. Before start().
    void connect_via(std::string origin) { connect_via_ = std::move(origin); }
    void start();
    void stop();  // abandons what is queued and cuts the request in flight short
    void enqueue(std::function<void()> task, SteadyClock::time_point not_before = {});
    size_t queued() const;

    // Blocking; for tasks on this worker's thread.
    WebhookAnswer send(const Outgoing& outgoing, const std::string& auth_token);
    // GET `url` following redirects, at most `max_bytes` of body (a larger one is an error).
    WebhookAnswer fetch(const std::string& url, size_t max_bytes);

  private:
    void run();
    bool running() const;

    std::string name_;
    std::string connect_via_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    struct Task {
        std::function<void()> run;
        SteadyClock::time_point not_before;
    };
    std::deque<Task> queue_;
    bool running_ = false;
    httplib::Client* in_flight_ = nullptr;
    std::thread thread_;
};

}  // namespace sb::sandbox::twilio
