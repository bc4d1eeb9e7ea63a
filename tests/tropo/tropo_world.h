#pragma once
// The Tropo side as real processes on loopback: bus, sandbox and tropo-gateway, with the test
// itself playing the router through a delivery::Node.
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bus_process.h"
#include "process.h"
#include "switchboard/delivery.h"

namespace sb::testing::tropo {

using json = nlohmann::json;

inline constexpr const char* kTropoKey = "test-tropo-key";
inline constexpr const char* kCompany = "+12085550100";
inline constexpr const char* kRedirect = "+18005550100";

// The router's side of the bus: consumes customer.message and tropo.result, sends commands,
// and (when told to) answers calls on their reply topic.
class RouterStub {
  public:
    RouterStub(const std::string& pub, const std::string& sub, const std::string& data_dir);
    ~RouterStub();

    std::vector<Envelope> customer_messages() const;
    std::vector<Envelope> results() const;
    // Answers every voice message with this number; empty: stays silent.
    void decide_calls(const std::string& forward_to);
    // Publishes SendSms on tropo.command; returns the command envelope.
    Envelope send_sms(const std::string& to, const std::string& text);
    void publish_command(const Envelope& command);
    std::optional<Envelope> report_for(const std::string& command_id) const;

  private:
    delivery::Node node_;
    mutable std::mutex mutex_;
    std::vector<Envelope> customer_messages_;
    std::vector<Envelope> results_;
    std::string decision_;
};

struct WorldOptions {
    std::string webhook_token;  // TROPO_WEBHOOK_TOKEN of the gateway (and in the app URL)
    bool with_router = true;
    std::map<std::string, std::string> gateway_env;
};

class TropoWorld {
  public:
    explicit TropoWorld(WorldOptions options = {});

    std::string dir;
    int sandbox_port = 0;
    int gateway_port = 0;
    std::unique_ptr<BusProcess> bus;
    std::unique_ptr<Process> sandbox;
    std::unique_ptr<Process> gateway;
    std::unique_ptr<RouterStub> router;

    std::unique_ptr<Process> start_gateway(const std::map<std::string, std::string>& extra = {});
    std::string gateway_log() const { return read_file(dir + "/gateway.log"); }

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

}  // namespace sb::testing::tropo
