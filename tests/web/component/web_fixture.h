#pragma once
// A real bus and a real ingress-web process on free loopback ports (a testing::Stack), plus a
// BusRecorder in the test that consumes customer.message the way the router would, to see
// exactly what was published.
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "stack.h"
#include "switchboard/events.h"

namespace sb::testing {

struct Received {
    std::string key;
    std::string id;
    CustomerMessage message;
};

// The JSON API is off without a token, so WebFixture leaves the demo's INGRESS_API_TOKEN out
// unless `env` sets one: this is `env` plus the demo's token.
Env with_api_token(Env env = {});

class WebFixture : private Stack {
  public:
    // `env` is added to (and overrides) the demo settings and the ingress-web settings used here.
    explicit WebFixture(const Env& env = {});
    ~WebFixture();

    int port() const { return Stack::port("ingress-web"); }
    httplib::Client client() const;

    // GET /contact/ and the CSRF token in its form.
    std::string fresh_token();
    // POSTs `fields` (urlencoded in this order) to /contact/.
    httplib::Result post_form(const std::vector<std::pair<std::string, std::string>>& fields);
    httplib::Result post_raw(const std::string& path, const std::string& body,
                             const std::string& content_type, const httplib::Headers& headers = {});
    // POSTs `body` as JSON to the API with "Authorization: Bearer <the demo's token>".
    httplib::Result post_api(const std::string& body);

    std::vector<Received> received();
    // Submits a valid form with `marker` as its text and waits until it arrives: every event
    // published before it by this ingress-web has arrived by then (one stream, in order).
    std::vector<Received> received_through_marker(const std::string& marker);

    std::string metrics();
    std::string log();
    Process& web() { return process("ingress-web"); }

  private:
    std::unique_ptr<BusRecorder> consumer_;
};

// The value of <input name="`name`" value="..."> in `html`, or empty.
std::string input_value(const std::string& html, const std::string& name);
std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields);
// A valid submission with `text` as the message.
std::vector<std::pair<std::string, std::string>> valid_fields(const std::string& token,
                                                              const std::string& text);

}  // namespace sb::testing
