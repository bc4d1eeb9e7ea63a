#pragma once
// The Spark side as real processes on loopback (bus, sandbox, spark-gateway; a testing::Stack),
// plus a stand-in router (a BusRecorder) that sends commands and collects what comes back.
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_client.h"
#include "stack.h"
#include "switchboard/events.h"

namespace sb::testing {

using nlohmann::json;

std::string hmac_sha1_hex(const std::string& key, const std::string& body);

// A post as an agent reads it: without the zero-width characters of spark-gateway's post marker
// (U+2060, U+200B, U+200C, U+200D, U+2063).
std::string visible(const std::string& text);

class SparkStack : public Stack {
  public:
    SparkStack();
    ~SparkStack();

    void start_bus();  // on the stack's endpoints, so a restarted bus is where everyone left it
    void start_sandbox(const Env& env = {});
    void start_gateway(Env env = {}, bool wait_ready = true);
    void stop_gateway();  // SIGTERM; checks a clean exit within two seconds
    void start_router();  // the stand-in consumer of spark.result and agent.message
    // Bus, sandbox, router stand-in and gateway (with `env`), in that order.
    SparkStack& start_all(Env env = {});

    HttpAnswer sandbox(const std::string& method, const std::string& path,
                       const json& body = nullptr, const std::string& token = "");
    HttpAnswer gateway_post(const std::string& body, const std::string& signature);
    std::string gateway_metrics();

    // Router stand-in.
    Envelope send_command(std::string_view type, const std::string& key, const json& payload);
    void resend(const Envelope& command);
    std::vector<Envelope> results_for(const std::string& command_id);
    // True once every one of `commands` has at least one result, within `timeout`.
    bool wait_for_results(const std::vector<Envelope>& commands, std::chrono::milliseconds timeout);
    std::vector<AgentMessage> agent_messages();
    std::vector<Envelope> agent_events();  // all of agent.message, in order (deletions too)
    bool wait_for_agent_message(const std::string& message_id, AgentMessage* out = nullptr);

    std::string general_room();
    std::string new_room(const std::string& title);
    // A message in the room through the sandbox's admin API (`body` names who, with "as");
    // returns its id.
    std::string post_in_room(const std::string& room, const json& body);
    // The webhooks the proxy's token sees (the gateway's own) for messages/`event` ("": all).
    json our_webhooks(const std::string& event = "created");
    json sandbox_stats();  // GET /sandbox/spark/stats
    // How many times the sandbox answered `endpoint` ("GET rooms/{id}") since it started.
    long long provider_calls(const std::string& endpoint);

    const int sandbox_port;
    const int gateway_port;
    Process* gateway = nullptr;  // the running spark-gateway, null once stopped

  private:
    std::unique_ptr<BusRecorder> router_;
};

}  // namespace sb::testing
