#include "stack.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "bus_process.h"
#include "services.h"

namespace sb::testing {

using namespace std::chrono_literals;

Stack::Stack(const std::string& name, Env shared, Carrier carrier)
    : dir_(make_temp_dir(name)),
      shared_(std::move(shared)),
      carrier_(carrier),
      bus_publish_(free_endpoint()),
      bus_subscribe_(free_endpoint()) {
    for (const auto& [service, variable] : port_variables()) ports_[service] = free_port();
    std::filesystem::create_directories(data_dir());
}

Stack::~Stack() {
    // Reverse start order, so nothing logs errors about a peer that vanished first.
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        auto& process = processes_.at(*it);
        if (process->running()) process->terminate();
        process->wait_exit(5s);
    }
}

std::string Stack::url(const std::string& service) const {
    return "http://127.0.0.1:" + std::to_string(port(service));
}

Env Stack::env_for(const std::string& service) const {
    // Every service the same environment, as scripts/run gives it: the demo settings with the
    // addresses (compose's host names in the file) replaced by this stack's.
    Env env = demo().all;
    env["SMS_CARRIER"] = carrier_name(carrier_);
    env["SPARK_API_URL"] = url("sandbox") + "/v1";
    env["TROPO_API_URL"] = url("sandbox") + "/1.0";
    env["TWILIO_API_URL"] = url("sandbox") + "/twilio";
    env["PUBLIC_BASE_URL"] = url("spark-gateway");
    env["SANDBOX_TROPO_APP_URL"] = url("tropo-gateway") + "/api/tropo-webhook/";
    // The sandbox's Twilio number posts to the gateway directly, so the gateway's public origin
    // (what it checks signatures against) is its own loopback address, as in scripts/run.
    env["TWILIO_SMS_URL"] = url("twilio-gateway") + "/api/twilio/sms/";
    env["TWILIO_VOICE_URL"] = url("twilio-gateway") + "/api/twilio/voice/";
    if (service == "twilio-gateway") env["PUBLIC_BASE_URL"] = url("twilio-gateway");
    env.erase("TWILIO_GATEWAY_PUBLIC_BASE_URL");  // compose's name for the line above
    env.erase("COMPOSE_PROFILES");
    env["BUS_PUBLISH_ENDPOINT"] = bus_publish_;
    env["BUS_SUBSCRIBE_ENDPOINT"] = bus_subscribe_;
    env["DATA_DIR"] = data_dir();
    // Undo send off, so replies leave at once and the suite keeps its speed; undo tests set it.
    env["SMS_UNDO_SECONDS"] = "0";
    for (const auto& [each, variable] : port_variables())
        env[variable] = std::to_string(port(each));
    for (const auto& [name, value] : shared_) env[name] = value;
    return env;
}

testing::Process& Stack::start(const std::string& service, const Env& env) {
    Start how;
    how.env = env;
    return start(service, how);
}

testing::Process& Stack::start(const std::string& service, const Start& how) {
    Env env = env_for(service);
    for (const auto& [name, value] : how.env) env[name] = value;
    for (const std::string& name : how.without) env.erase(name);
    started_.erase(std::remove(started_.begin(), started_.end(), service), started_.end());
    started_.push_back(service);
    auto& slot = processes_[service];
    slot.reset();  // a previous run: killed (if still running) before the new one binds its port
    slot =
        std::make_unique<testing::Process>(build_dir() + "/" + service, std::vector<std::string>{},
                                           env, dir_ + "/" + service + ".log");
    if (how.wait_healthy) {
        const int http_port = port(service);
        if (!wait_until([&] { return http_status(http_port, "/healthz") == 200; }, how.timeout)) {
            throw std::runtime_error(service + " did not become healthy within " +
                                     std::to_string(how.timeout.count()) + " s; logs:\n" + logs());
        }
    }
    return *slot;
}

std::optional<int> Stack::stop(const std::string& service, std::chrono::milliseconds timeout) {
    auto& process = *processes_.at(service);
    process.terminate();
    return process.wait_exit(timeout);
}

std::optional<int> Stack::kill9(const std::string& service) {
    auto& process = *processes_.at(service);
    process.kill9();
    return process.wait_exit(5s);
}

void Stack::signal(const std::string& service, int signal_number) {
    processes_.at(service)->signal(signal_number);
}

bool Stack::running(const std::string& service) const {
    const auto found = processes_.find(service);
    return found != processes_.end() && found->second->running();
}

testing::Process& Stack::process(const std::string& service) const {
    return *processes_.at(service);
}

std::string Stack::log(const std::string& service) const {
    return read_file(dir_ + "/" + service + ".log");
}

std::string Stack::logs() const {
    std::string all;
    for (const std::string& service : started_) {
        std::string text = log(service);
        if (text.size() > 3000) text = text.substr(text.size() - 3000);
        all += "==== ";
        all += service;
        all += " ====\n";
        all += text;
        all += '\n';
    }
    return all;
}

std::unique_ptr<BusRecorder> Stack::recorder(const std::string& instance,
                                             std::vector<std::string> topics) const {
    return std::make_unique<BusRecorder>(instance, std::move(topics), data_dir(), bus_publish_,
                                         bus_subscribe_);
}

}  // namespace sb::testing
