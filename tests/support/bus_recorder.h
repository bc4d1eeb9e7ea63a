#pragma once
// A service's place on the bus played by the test: a real delivery::Node that consumes the
// topics the played service would (it is their only consumer), keeps every event it takes in,
// and publishes what the played service would publish. The stand-in router of the Spark and
// Tropo tests, ingress-web's consumer, the router's fake gateways.
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/delivery.h"
#include "switchboard/events.h"

namespace sb::testing {

class BusRecorder {
  public:
    // Runs on the node's worker thread after the event is recorded; may publish through the
    // transaction or hold the event, like a real handler.
    using Handler = std::function<void(const delivery::Inbound&, delivery::Transaction&)>;

    // Instance `instance` (its journal in `data_dir`), consuming `topics` on the bus at
    // `publish`/`subscribe`. Not started: set handlers first, then start().
    BusRecorder(const std::string& instance, std::vector<std::string> topics,
                const std::string& data_dir, const std::string& publish,
                const std::string& subscribe);
    ~BusRecorder();
    BusRecorder(const BusRecorder&) = delete;
    BusRecorder& operator=(const BusRecorder&) = delete;

    void on_event(Handler handler);
    void on_reply(delivery::Node::ReplyHandler handler) { node_.on_reply(std::move(handler)); }
    void start() { node_.start(); }
    void stop();

    struct Recorded {
        std::string topic;
        Envelope event;
    };
    // What came in on `topic` (on every topic when empty), in the order it came.
    std::vector<Envelope> events(std::string_view topic = {}) const;
    // Waits until some recorded event satisfies `match`.
    bool wait_for(const std::function<bool(const Envelope&)>& match,
                  std::chrono::milliseconds timeout) const;

    delivery::Node& node() { return node_; }
    void publish(std::string_view topic, Envelope event) { node_.publish(topic, std::move(event)); }

  private:
    delivery::Node node_;
    Handler handler_;
    mutable std::mutex mutex_;
    std::vector<Recorded> recorded_;
};

}  // namespace sb::testing
