#include "system_harness.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <sstream>

#include "services.h"

namespace sb::system_test {

using namespace std::chrono_literals;
using testing::port_variables;

namespace {

httplib::Client client_for(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(10, 0);
    return client;
}

}  // namespace

System::System(std::vector<std::string> services, std::map<std::string, std::string> extra_env)
    : dir_(testing::make_temp_dir("system")), extra_env_(std::move(extra_env)) {
    bus_publish_port_ = testing::free_port();
    bus_subscribe_port_ = testing::free_port();
    for (const auto& [service, variable] : port_variables()) ports_[service] = testing::free_port();
    for (const std::string& service : services) start(service);
}

System::~System() {
    // Stop in reverse start order so nothing logs errors about a peer that vanished first.
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        auto& process = processes_.at(*it);
        if (process->running()) process->terminate();
        process->wait_exit(5s);
    }
}

// Every service gets the same environment, as scripts/run gives it.
std::map<std::string, std::string> System::env_for(const std::string& /*service*/) const {
    const std::string sandbox = "http://127.0.0.1:" + std::to_string(ports_.at("sandbox"));
    std::map<std::string, std::string> env = {
        {"DATA_DIR", dir_ + "/data"},
        {"LOG_LEVEL", "debug"},
        {"BUS_PUBLISH_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(bus_publish_port_)},
        {"BUS_SUBSCRIBE_ENDPOINT", "tcp://127.0.0.1:" + std::to_string(bus_subscribe_port_)},
        {"SPARK_TOKEN", "sandbox-proxy-token"},
        {"SPARK_API_URL", sandbox + "/v1"},
        {"SPARK_AGENT_TEAM_ID", "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt"},
        {"SPARK_CUSTOMER_PROXY_EMAIL", kProxyEmail},
        {"SPARK_WEBHOOK_SECRET", "system-test-webhook-secret"},
        {"TROPO_KEY", "sandbox-tropo-key"},
        {"TROPO_API_URL", sandbox + "/1.0"},
        {"CUSTOMER_SERVICE_REDIRECT_DN", kRedirectNumber},
        {"SANDBOX_COMPANY_NUMBER", kCompanyNumber},
        {"SANDBOX_TROPO_APP_URL",
         "http://127.0.0.1:" + std::to_string(ports_.at("tropo-gateway")) + "/api/tropo-webhook/"},
        {"COMPANY_NAME", "Acme Outfitters"},
        {"INGRESS_API_TOKEN", kApiToken},  // the JSON API is off without one
    };
    for (const auto& [variable_service, variable] : port_variables()) {
        env[variable] = std::to_string(ports_.at(variable_service));
    }
    for (const auto& [name, value] : extra_env_) env[name] = value;
    return env;
}

void System::start(const std::string& service) {
    started_.erase(std::remove(started_.begin(), started_.end(), service), started_.end());
    started_.push_back(service);
    processes_[service] = std::make_unique<testing::Process>(
        testing::build_dir() + "/" + service, std::vector<std::string>{}, env_for(service),
        dir_ + "/" + service + ".log");
    const int port = ports_.at(service);
    const bool healthy =
        testing::wait_until([&] { return testing::http_status(port, "/healthz") == 200; }, 60s);
    REQUIRE_MESSAGE(healthy, service << " did not become healthy; logs:\n" << logs());
}

void System::stop(const std::string& service) {
    auto& process = processes_.at(service);
    process->terminate();
    REQUIRE(process->wait_exit(5s));
}

void System::kill9(const std::string& service) {
    auto& process = processes_.at(service);
    process->kill9();
    REQUIRE(process->wait_exit(5s));
}

void System::signal(const std::string& service, int signal_number) {
    processes_.at(service)->signal(signal_number);
}

std::string System::log(const std::string& service) const {
    const std::string text = testing::read_file(dir_ + "/" + service + ".log");
    return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
}

std::string System::logs() const {
    std::string all;
    for (const std::string& service : started_) {
        std::string text = testing::read_file(dir_ + "/" + service + ".log");
        if (text.size() > 3000) text = text.substr(text.size() - 3000);
        all += "==== " + service + " ====\n" + text + "\n";
    }
    return all;
}

httplib::Result System::submit_contact_form(
    const std::map<std::string, std::string>& fields) const {
    auto client = client_for(ports_.at("ingress-web"));
    const auto form = client.Get("/contact/");
    REQUIRE(form);
    REQUIRE(form->status == 200);
    static const std::regex token_pattern(R"re(name="csrf_token" value="([^"]+)")re");
    std::smatch match;
    REQUIRE_MESSAGE(std::regex_search(form->body, match, token_pattern),
                    "no csrf_token in the form");
    httplib::Params params;
    for (const auto& [name, value] : fields) params.emplace(name, value);
    params.emplace("csrf_token", match[1].str());
    httplib::Headers headers;
    // A browser sends the cookies the form set (none today, but a later version may use one).
    const std::string cookie = form->get_header_value("Set-Cookie");
    if (!cookie.empty()) headers.emplace("Cookie", cookie.substr(0, cookie.find(';')));
    return client.Post("/contact/", headers, params);
}

httplib::Result System::get(const std::string& service, const std::string& path) const {
    auto client = client_for(ports_.at(service));
    return client.Get(path.c_str());
}

httplib::Result System::post_json(const std::string& service, const std::string& path,
                                  const json& body) const {
    auto client = client_for(ports_.at(service));
    if (service == "ingress-web") client.set_bearer_token_auth(kApiToken);
    return client.Post(path.c_str(), body.dump(), "application/json");
}

httplib::Result System::put_json(const std::string& service, const std::string& path,
                                 const json& body) const {
    auto client = client_for(ports_.at(service));
    return client.Put(path.c_str(), body.dump(), "application/json");
}

double System::metric(const std::string& service, const std::string& name,
                      const std::string& labels) const {
    const auto scraped = get(service, "/metrics");
    if (!scraped || scraped->status != 200) return -1;
    std::istringstream lines(scraped->body);
    std::string line;
    double total = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line.compare(0, name.size(), name) != 0) continue;
        const char next = line.size() > name.size() ? line[name.size()] : ' ';
        if (next != ' ' && next != '{') continue;
        if (!labels.empty() && line.find(labels) == std::string::npos) continue;
        total += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return total;
}

}  // namespace sb::system_test
