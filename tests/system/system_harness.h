#pragma once
// The whole system as real processes on loopback: bus, sandbox, spark-gateway, the carrier
// gateway (the carrier under test's, carrier.h), router and ingress-web, wired to each other
// exactly as scripts/run wires them (a testing::Stack: the demo settings, free ports, a fresh
// DATA_DIR). Tests drive it only through HTTP: the sandbox's simulated phones and agents, the
// website, and the services' /metrics.
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sandbox_client.h"
#include "stack.h"

namespace sb::testing {

using nlohmann::json;

class System : public Stack {
  public:
    // Every service, in start order, with `carrier`'s gateway.
    static std::vector<std::string> all_services(Carrier carrier = carrier_under_test());

    // Services to start, in order; by default all of them. The stack deploys the carrier under
    // test (the test binary's --carrier=).
    explicit System(const std::vector<std::string>& services = all_services(),
                    std::map<std::string, std::string> extra_env = {});

    void start(const std::string& service);  // and wait until its /healthz is 200
    void stop(const std::string& service);   // SIGTERM, wait
    void kill9(const std::string& service);
    std::string log(const std::string& service) const;  // the last 8,000 characters

    // HTTP helpers against a service; the body parsed as JSON when it is JSON.
    httplib::Result get(const std::string& service, const std::string& path) const;
    httplib::Result post_json(const std::string& service, const std::string& path,
                              const json& body) const;
    httplib::Result put_json(const std::string& service, const std::string& path,
                             const json& body) const;
    // A counter or gauge from the service's /metrics (sum over label sets matching `labels`).
    double metric(const std::string& service, const std::string& name,
                  const std::string& labels = "") const;

    // The simulated phones and agents.
    SandboxClient sandbox() const { return SandboxClient(port("sandbox"), carrier()); }

    // The website as a browser uses it: GET /contact/ for a fresh CSRF token, then POST the
    // form (url-encoded) with it. Returns the POST's answer.
    httplib::Result submit_contact_form(const std::map<std::string, std::string>& fields) const;

    // ingress-web's INGRESS_API_TOKEN (the demo's); post_json to ingress-web sends it as a
    // bearer token.
    static const std::string& api_token() { return demo().api_token; }
};

}  // namespace sb::testing
