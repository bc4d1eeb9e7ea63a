#pragma once
// The whole system as real processes on loopback: bus, sandbox, both gateways, router and
// ingress-web, wired to each other exactly as scripts/run wires them, on free ports, with a
// fresh DATA_DIR. Tests drive it only through HTTP: the sandbox's simulated phones and agents,
// the website, and the services' /metrics.
#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.h"
#include "sandbox_client.h"

namespace sb::system_test {

using nlohmann::json;

class System {
  public:
    // Services to start, in order; by default all of them.
    explicit System(std::vector<std::string> services = {"bus", "sandbox", "spark-gateway",
                                                         "tropo-gateway", "router", "ingress-web"},
                    std::map<std::string, std::string> extra_env = {});
    ~System();

    void start(const std::string& service);  // and wait until its /healthz is 200
    void stop(const std::string& service);   // SIGTERM, wait
    void kill9(const std::string& service);
    void signal(const std::string& service, int signal_number);  // e.g. SIGSTOP, SIGCONT
    int port(const std::string& service) const { return ports_.at(service); }
    const std::string& dir() const { return dir_; }
    std::string log(const std::string& service) const;

    // HTTP helpers against a service; the body parsed as JSON when it is JSON.
    httplib::Result get(const std::string& service, const std::string& path) const;
    httplib::Result post_json(const std::string& service, const std::string& path,
                              const json& body) const;
    httplib::Result put_json(const std::string& service, const std::string& path,
                             const json& body) const;
    // A counter or gauge from the service's /metrics (sum over label sets matching `labels`).
    double metric(const std::string& service, const std::string& name,
                  const std::string& labels = "") const;

    std::map<std::string, std::string> env_for(const std::string& service) const;

    // The simulated phones and agents.
    SandboxClient sandbox() const { return SandboxClient(port("sandbox")); }

    // The website as a browser uses it: GET /contact/ for a fresh CSRF token, then POST the
    // form (url-encoded) with it. Returns the POST's answer.
    httplib::Result submit_contact_form(const std::map<std::string, std::string>& fields) const;

    // Last lines of every service's log, for failure messages.
    std::string logs() const;

    static constexpr const char* kCompanyNumber = "+12085550100";
    static constexpr const char* kRedirectNumber = "+18005550100";
    static constexpr const char* kProxyEmail = "switchboard@sandbox.example";
    // ingress-web's INGRESS_API_TOKEN; post_json to ingress-web sends it as a bearer token.
    static constexpr const char* kApiToken = "system-test-api-token";

  private:
    std::string dir_;
    std::map<std::string, int> ports_;
    std::map<std::string, std::string> extra_env_;
    int bus_publish_port_ = 0;
    int bus_subscribe_port_ = 0;
    std::map<std::string, std::unique_ptr<testing::Process>> processes_;
    std::vector<std::string> started_;  // in start order, for stopping in reverse
};

}  // namespace sb::system_test
