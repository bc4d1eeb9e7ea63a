#pragma once
// Delivers webhook POSTs the way Webex does: asynchronously, one at a time in creation order,
// signed, never redelivered; each outcome is reported so repeated failures deactivate a webhook.
#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "spark_state.h"
#include "switchboard/metrics.h"

namespace sb::sandbox::spark {

class WebhookDispatcher {
  public:
    using Outcome = std::function<void(const std::string& webhook_id, bool delivered)>;
    WebhookDispatcher(Metrics& metrics, Outcome outcome);
    ~WebhookDispatcher();

    void enqueue(Delivery delivery);  // thread-safe, never blocks on the network
    void start();
    void stop();

    std::uint64_t delivered() const;
    std::uint64_t failed() const;

  private:
    void run();
    bool post(const Delivery& delivery);

    Metrics& metrics_;
    Outcome outcome_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Delivery> queue_;
    bool running_ = false;
    std::thread thread_;
    std::map<std::string, std::unique_ptr<httplib::Client>> clients_;  // by origin; run() only
    std::uint64_t delivered_ = 0;
    std::uint64_t failed_ = 0;
};

}  // namespace sb::sandbox::spark
