#pragma once
// The Tropo side as real processes on loopback (bus, sandbox and tropo-gateway; a
// testing::Stack), with the test itself playing the router through a BusRecorder.
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bus_recorder.h"
#include "stack.h"

namespace sb::testing {

using json = nlohmann::json;

// The router's side of the bus: consumes customer.message and sms.report, sends commands,
// and (when told to) answers calls on their reply topic.
class RouterStub {
  public:
    explicit RouterStub(const Stack& stack);

    std::vector<Envelope> customer_messages() const;
    std::vector<Envelope> results() const;
    // Answers every voice message with this number; empty: stays silent.
    void decide_calls(const std::string& forward_to);
    // Publishes SendSms on sms.send; returns the command envelope.
    Envelope send_sms(const std::string& to, const std::string& text);
    void publish_command(const Envelope& command);
    std::optional<Envelope> report_for(const std::string& command_id) const;

  private:
    std::unique_ptr<BusRecorder> node_;
    mutable std::mutex mutex_;
    std::string decision_;
};

struct WorldOptions {
    std::string webhook_token;  // TROPO_WEBHOOK_TOKEN of the gateway (and in the app URL)
    bool with_router = true;
    std::map<std::string, std::string> gateway_env;
};

class TropoWorld : public Stack {
  public:
    explicit TropoWorld(WorldOptions options = {});

    const int sandbox_port;
    const int gateway_port;
    Process* gateway = nullptr;  // the latest tropo-gateway started
    std::unique_ptr<RouterStub> router;

    // Starts tropo-gateway again (the previous one, if still running, is killed first).
    Process* start_gateway(const Env& extra = {});
    std::string gateway_log() const { return log("tropo-gateway"); }

    // HTTP against the sandbox and the gateway.
    httplib::Result sandbox_get(const std::string& path);
    httplib::Result sandbox_post(const std::string& path, const json& body);
    httplib::Result webhook_post(const std::string& body, const std::string& query = {});
    json phone(const std::string& number);
    json stats();
    // The texts in the phone's inbox, oldest first (none while the sandbox has no such phone).
    std::vector<std::string> inbox_texts(const std::string& number);
    // A counter of /sandbox/tropo/stats: stats[group] or stats[group][name]; 0 when absent.
    std::uint64_t stat(const char* group, const char* name = nullptr);

  private:
    WorldOptions options_;
};

std::string repeat(const std::string& piece, int times);

}  // namespace sb::testing
