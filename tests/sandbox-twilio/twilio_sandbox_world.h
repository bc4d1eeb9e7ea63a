#pragma once
// The Twilio half of the sandbox as a client sees it: the real sandbox process (a testing::Stack)
// whose number's SMS and voice URLs point at the test's own application, a small httplib server
// that records every request and checks its X-Twilio-Signature itself (OpenSSL here, not the
// sandbox's code), and answers what the test says.
#include <httplib.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http_client.h"
#include "stack.h"

namespace sb::testing {

using json = nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

// The demo account (deploy/env.demo).
std::string account_sid();
std::string auth_token();
std::string company_number();

// Twilio's signature computed independently: base64(HMAC-SHA1(token, url + sorted name+value)).
std::string expected_signature(const std::string& token, const std::string& url, Form params);

struct Received {
    std::string method;
    std::string path;    // without the query
    std::string target;  // path and query, as requested
    std::string body;
    Form params;       // the form body's parameters (GET: the query's)
    std::string host;  // the Host header
    std::string signature;
    bool signature_ok = false;
    std::string param(const std::string& name) const;  // empty when absent
    bool has(const std::string& name) const;
};

class Application {
  public:
    explicit Application(std::string token);
    ~Application();
    int port() const { return port_; }
    std::string url(const std::string& path_and_query) const;
    // What `path` answers from now on (default: 200 text/xml <Response/>).
    void answer(const std::string& path, int status, const std::string& content_type,
                const std::string& body);
    // Serves `body` at GET `path` (a picture for MediaUrl).
    void serve(const std::string& path, const std::string& content_type, const std::string& body);
    std::vector<Received> received(const std::string& path) const;
    // Waits until `path` has received `count` requests; false after `timeout`.
    bool wait_for(const std::string& path, size_t count,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  private:
    struct Reply {
        int status = 200;
        std::string content_type = "text/xml";
        std::string body = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
    };
    void handle(const httplib::Request& request, httplib::Response& response);
    std::string token_;
    int port_;
    httplib::Server server_;
    std::thread thread_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::map<std::string, Reply> replies_;
    std::vector<Received> received_;
};

class TwilioWorld : public Stack {
  public:
    explicit TwilioWorld(const Env& extra = {});
    Application app;
    const int sandbox_port;

    // POST …/Messages.json with `form`, as `user`:`secret` (the account's by default; "" sends
    // no Authorization at all).
    HttpAnswer send(const Form& form, const std::string& user = account_sid(),
                    const std::string& secret = auth_token(), const std::string& account = {});
    HttpAnswer get(const std::string& path, const std::string& user = {},
                   const std::string& secret = {});
    HttpAnswer admin(const std::string& method, const std::string& path,
                     const json& body = nullptr);
    json phone(const std::string& number);
    // The texts in the phone's inbox, oldest first.
    std::vector<std::string> inbox(const std::string& number);
    std::string messages_path() const;
};

}  // namespace sb::testing
