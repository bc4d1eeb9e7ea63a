#pragma once
// Plays spark-gateway and tropo-gateway for the router's component test: a BusRecorder on the
// stack's bus that consumes spark.command and sms.send, answers them from a tiny fake
// Webex (a room list), and can be paused so that commands wait, in order, like a slow provider.
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus_recorder.h"
#include "stack.h"
#include "switchboard/events.h"

namespace sb::testing {

class FakeGateways {
  public:
    explicit FakeGateways(const Stack& stack);
    ~FakeGateways() { node_->stop(); }

    static constexpr const char* kInstance = "fake-gateways";

    void add_room(const std::string& id, const std::string& title, const std::string& created);
    void start() { node_->start(); }
    // While paused, commands are held (in order) instead of answered.
    void pause();
    void release();

    // Producing what the real gateways would.
    void customer_says(const CustomerMessage& message);
    void agent_says(const AgentMessage& message);
    void publish_raw(std::string_view topic, Envelope event) {
        node_->publish(topic, std::move(event));
    }

    std::vector<Envelope> commands(std::string_view type = {}) const;
    template <class Payload>
    std::vector<Payload> payloads(std::string_view type) const {
        std::vector<Payload> out;
        for (const Envelope& event : commands(type)) out.push_back(event.payload_as<Payload>());
        return out;
    }
    std::vector<CallDecision> decisions() const;
    std::string room_id_for(const std::string& title) const;

  private:
    void handle(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    void execute(const Envelope& command, delivery::Transaction& transaction);

    std::unique_ptr<BusRecorder> node_;
    mutable std::mutex mutex_;
    std::vector<CallDecision> decisions_;
    std::vector<RoomSummary> rooms_;
    int next_id_ = 0;
    bool paused_ = false;
    std::deque<delivery::Inbound> backlog_;
};

}  // namespace sb::testing
