#pragma once
// The Spark side as real processes on loopback: bus, sandbox, spark-gateway, plus a stand-in
// router (a delivery::Node in the test) that sends commands and collects what comes back.
#include <httplib.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bus_process.h"
#include "process.h"
#include "switchboard/delivery.h"
#include "switchboard/events.h"

namespace sb::spark_testing {

using nlohmann::json;

inline constexpr const char* kToken = "sandbox-proxy-token";
inline constexpr const char* kTeam = "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt";
inline constexpr const char* kSecret = "webhook-secret-for-tests";

struct HttpAnswer {
    int status = 0;
    json body;
    httplib::Headers headers;
    std::string raw;
    std::string header(const std::string& name) const;
};

std::string hmac_sha1_hex(const std::string& key, const std::string& body);

// A post as an agent reads it: without the zero-width characters of spark-gateway's post marker
// (U+2060, U+200B, U+200C, U+200D, U+2063).
std::string visible(const std::string& text);

class SparkStack {
  public:
    SparkStack();
    ~SparkStack();

    void start_bus();  // on bus_pub and bus_sub, so a restarted bus is where everyone left it
    void start_sandbox(std::map<std::string, std::string> env = {});
    void start_gateway(std::map<std::string, std::string> env = {}, bool wait_ready = true);
    void stop_gateway();  // SIGTERM; checks a clean exit within two seconds
    void start_router();  // the stand-in consumer of spark.result and agent.message
    // Bus, sandbox, router stand-in and gateway (with `env`), in that order.
    SparkStack& start_all(std::map<std::string, std::string> env = {});

    HttpAnswer sandbox(const std::string& method, const std::string& path,
                       const json& body = nullptr, const std::string& token = "");
    HttpAnswer gateway_post(const std::string& body, const std::string& signature);
    std::string gateway_metrics();

    // Router stand-in.
    Envelope send_command(std::string_view type, const std::string& key, const json& payload);
    void resend(const Envelope& command);
    std::vector<Envelope> results_for(const std::string& command_id);
    std::vector<AgentMessage> agent_messages();
    bool wait_for_agent_message(const std::string& message_id, AgentMessage* out = nullptr);

    std::string general_room();
    std::string new_room(const std::string& title);
    // A message in the room through the sandbox's admin API (`body` names who, with "as");
    // returns its id.
    std::string post_in_room(const std::string& room, const json& body);
    // The webhooks the proxy's token sees (the gateway's own).
    json our_webhooks();
    json sandbox_stats();  // GET /sandbox/spark/stats
    // How many times the sandbox answered `endpoint` ("GET rooms/{id}") since it started.
    long long provider_calls(const std::string& endpoint);

    std::string dir;
    int sandbox_port;
    int gateway_port;
    std::string bus_pub;
    std::string bus_sub;
    std::unique_ptr<testing::BusProcess> bus;
    std::unique_ptr<testing::Process> sandbox_process;
    std::unique_ptr<testing::Process> gateway;

  private:
    std::unique_ptr<delivery::Node> router_;
    std::mutex mutex_;
    std::vector<Envelope> results_;
    std::vector<Envelope> agent_messages_;
    int gateway_runs_ = 0;
};

}  // namespace sb::spark_testing
