#pragma once
// A real bus and a real ingress-web process on free loopback ports, plus a delivery::Node in
// the test that consumes customer.message the way the router would, to see exactly what was
// published.
#include <httplib.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus_process.h"
#include "process.h"
#include "switchboard/delivery.h"

namespace sb::web::testing {

struct Received {
    std::string key;
    std::string id;
    CustomerMessage message;
};

using Env = std::map<std::string, std::string>;

// The JSON API is off without a token: tests that use it start ingress-web with this one.
inline constexpr const char* kApiToken = "api-token-for-handler-tests";
// `env` plus INGRESS_API_TOKEN=kApiToken.
Env with_api_token(Env env = {});

class WebFixture {
  public:
    // `env` is added to (and overrides) the ingress-web defaults used here.
    explicit WebFixture(Env env = {});
    ~WebFixture();

    int port() const { return web_port_; }
    httplib::Client client() const;

    // GET /contact/ and the CSRF token in its form.
    std::string fresh_token();
    // POSTs `fields` (urlencoded in this order) to /contact/.
    httplib::Result post_form(const std::vector<std::pair<std::string, std::string>>& fields);
    httplib::Result post_raw(const std::string& path, const std::string& body,
                             const std::string& content_type, const httplib::Headers& headers = {});
    // POSTs `body` as JSON to the API with "Authorization: Bearer kApiToken".
    httplib::Result post_api(const std::string& body);

    std::vector<Received> received();
    // Submits a valid form with `marker` as its text and waits until it arrives: every event
    // published before it by this ingress-web has arrived by then (one stream, in order).
    std::vector<Received> received_through_marker(const std::string& marker);

    std::string metrics();
    std::string log();
    sb::testing::Process& web() { return *web_; }

  private:
    std::string dir_;
    int web_port_ = 0;
    std::unique_ptr<sb::testing::BusProcess> bus_;
    std::unique_ptr<sb::testing::Process> web_;
    std::unique_ptr<delivery::Node> consumer_;
    std::mutex mutex_;
    std::vector<Received> received_;
};

// The value of <input name="`name`" value="..."> in `html`, or empty.
std::string input_value(const std::string& html, const std::string& name);
std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields);
// A valid submission with `text` as the message.
std::vector<std::pair<std::string, std::string>> valid_fields(const std::string& token,
                                                              const std::string& text);

}  // namespace sb::web::testing
