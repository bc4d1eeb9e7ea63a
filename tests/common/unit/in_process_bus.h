#pragma once
// A real bus proxy inside the test process, delivery options pointing a node at it with short
// retry periods, and a test event: the unit tests of the delivery contract run real ZeroMQ
// without a child process.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "bus_proxy.h"
#include "switchboard/delivery.h"
#include "switchboard/time_format.h"

namespace sb::testing {

struct InProcessBus {
    zmq::context_t context{1};
    bus::BusProxy proxy{context, "tcp://127.0.0.1:*", "tcp://127.0.0.1:*"};
    InProcessBus() { proxy.start(); }
    ~InProcessBus() { proxy.stop(); }
};

inline delivery::Options options_for(const InProcessBus& bus, const std::string& instance,
                                     const std::filesystem::path& dir,
                                     std::vector<std::string> consume = {}) {
    delivery::Options options;
    options.service = instance;
    options.instance = instance;
    options.data_dir = dir;
    options.publish_endpoint = bus.proxy.publish_endpoint();
    options.subscribe_endpoint = bus.proxy.subscribe_endpoint();
    options.consume = std::move(consume);
    options.first_retry = std::chrono::milliseconds(20);
    options.max_retry = std::chrono::milliseconds(200);
    return options;
}

// A CustomerMessage event with `text`, the payload the delivery tests send through.
inline Envelope customer_event(const std::string& text) {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "sms";
    message.text = text;
    message.received_at = iso8601_now();
    return make_event(event_type::customer_message, "test", message.customer, message);
}

}  // namespace sb::testing
