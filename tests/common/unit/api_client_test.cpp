// ApiClient's form bodies and HTTP Basic credentials (Twilio's REST API) against a real
// cpp-httplib server on loopback: what the server decodes is what the caller meant.
#include "switchboard/api_client.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "process.h"
#include "switchboard/metrics.h"

using namespace std::chrono_literals;

namespace {

// One route recording what it received, answering what the test sets.
class Server {
  public:
    Server() {
        server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            response.status = status_;
            response.set_content(answer_, "application/json");
        });
        server_.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            response.status = status_;
            response.set_content(answer_, "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        REQUIRE(sb::testing::wait_until([this] { return server_.is_running(); }, 5s));
    }
    ~Server() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void answer(int status, std::string body) {
        std::lock_guard lock(mutex_);
        status_ = status;
        answer_ = std::move(body);
    }
    std::vector<httplib::Request> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<httplib::Request> requests_;
    int status_ = 201;
    std::string answer_ = "{}";
};

sb::RetryPolicy fast() {
    sb::RetryPolicy policy;
    policy.max_attempts = 3;
    policy.first_backoff = 1ms;
    policy.max_backoff = 2ms;
    return policy;
}

}  // namespace

TEST_CASE("form_encode percent-encodes every name and value and keeps repeated names") {
    struct Row {
        sb::FormParams in;
        std::string out;
    };
    const Row rows[] = {
        {{}, ""},
        {{{"To", "+14155550100"}}, "To=%2B14155550100"},
        {{{"Body", "a b&c=d+e%f"}}, "Body=a%20b%26c%3Dd%2Be%25f"},
        {{{"Body", ""}}, "Body="},
        {{{"Body", "caf\xC3\xA9 \xF0\x9F\x98\x80"}}, "Body=caf%C3%A9%20%F0%9F%98%80"},
        {{{"MediaUrl", "https://x/1"}, {"MediaUrl", "https://x/2"}},
         "MediaUrl=https%3A%2F%2Fx%2F1&MediaUrl=https%3A%2F%2Fx%2F2"},
        {{{"a b", "1"}, {"c", "2"}}, "a%20b=1&c=2"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.out);
        CHECK(sb::form_encode(row.in) == row.out);
    }
}

TEST_CASE("post_form: the server decodes exactly the fields sent, with Basic credentials") {
    Server server;
    sb::ApiClient client(server.url() + "/twilio", sb::BasicAuth{"ACdemo", "s3cr:et"}, "twilio",
                         nullptr, fast());
    const std::string body = "Hi & welcome = 100% + more\nline two \xF0\x9F\x98\x80";
    const sb::ApiResponse answer = client.post_form(
        "/2010-04-01/Accounts/ACdemo/Messages.json",
        {{"To", "+14155550100"}, {"Body", body}, {"MediaUrl", "u1"}, {"MediaUrl", "u2"}});
    CHECK(answer.status == 201);
    CHECK(answer.attempts == 1);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    const httplib::Request& got = requests[0];
    CHECK(got.path == "/twilio/2010-04-01/Accounts/ACdemo/Messages.json");
    CHECK(got.get_header_value("Content-Type") == "application/x-www-form-urlencoded");
    // base64("ACdemo:s3cr:et")
    CHECK(got.get_header_value("Authorization") == "Basic QUNkZW1vOnMzY3I6ZXQ=");
    CHECK(got.get_param_value("To") == "+14155550100");
    CHECK(got.get_param_value("Body") == body);
    REQUIRE(got.get_param_value_count("MediaUrl") == 2);
    CHECK(got.get_param_value("MediaUrl", 0) == "u1");
    CHECK(got.get_param_value("MediaUrl", 1) == "u2");
}

TEST_CASE("a bearer-token client still sends its token, a Basic one never a bearer") {
    Server server;
    sb::ApiClient bearer(server.url(), std::string("tok"), "webex", nullptr, fast());
    CHECK(bearer.get("/rooms").status == 201);
    sb::ApiClient basic(server.url(), sb::BasicAuth{"u", "p"}, "twilio", nullptr, fast());
    CHECK(basic.get("/rooms").status == 201);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].get_header_value("Authorization") == "Bearer tok");
    CHECK(requests[1].get_header_value("Authorization") == "Basic dTpw");
}

TEST_CASE("a Twilio error body gives its code and message, and a 400 is not retried") {
    Server server;
    server.answer(400,
                  R"({"code": 21211, "message": "The 'To' number +1 is not a valid phone number.",)"
                  R"( "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})");
    sb::ApiClient client(server.url(), sb::BasicAuth{"u", "p"}, "twilio", nullptr, fast());
    const sb::ApiResponse answer = client.post_form("/Messages.json", {{"To", "+1"}});
    CHECK(answer.status == 400);
    CHECK(answer.provider_code == 21211);
    CHECK(answer.error == "The 'To' number +1 is not a valid phone number.");
    CHECK(answer.attempts == 1);
    CHECK(server.requests().size() == 1);
}

TEST_CASE("a 429 with Twilio's 20429 is retried, and the last answer's code is kept") {
    Server server;
    server.answer(429, R"({"code": 20429, "message": "Too Many Requests", "status": 429})");
    sb::RetryPolicy policy = fast();
    policy.max_attempts = 2;
    policy.default_retry_after = 1ms;  // clamped to ApiClient's 1 s floor for a 429
    sb::ApiClient client(server.url(), sb::BasicAuth{"u", "p"}, "twilio", nullptr, policy);
    const sb::ApiResponse answer = client.post_form("/Messages.json", {{"To", "+1"}});
    CHECK(answer.status == 429);
    CHECK(answer.provider_code == 20429);
    CHECK(answer.attempts == 2);
    CHECK(server.requests().size() == 2);
}

TEST_CASE("Twilio's calls are counted by resource, not by the API version they all share") {
    Server server;
    sb::Metrics metrics;
    sb::ApiClient client(server.url() + "/twilio", sb::BasicAuth{"u", "p"}, "twilio", &metrics,
                         fast());
    client.post_form("/2010-04-01/Accounts/ACx/Messages.json", {{"To", "+1"}});
    client.get("/2010-04-01/Accounts/ACx/Messages/SM1.json");
    client.get("/2010-04-01/Accounts/ACx.json");
    const std::string text = metrics.render();
    CHECK(text.find(R"(provider_api_calls_total{endpoint="Messages",method="POST",)") !=
          std::string::npos);
    CHECK(text.find(R"(provider_api_calls_total{endpoint="Messages",method="GET",)") !=
          std::string::npos);
    CHECK(text.find(R"(provider_api_calls_total{endpoint="Accounts",method="GET",)") !=
          std::string::npos);
    CHECK(text.find("2010-04-01") == std::string::npos);
    CHECK(text.find("SM1") == std::string::npos);
}

TEST_CASE("no error body: provider_code stays 0") {
    Server server;
    server.answer(404, "not json");
    sb::ApiClient client(server.url(), sb::BasicAuth{"u", "p"}, "twilio", nullptr, fast());
    const sb::ApiResponse answer = client.post_form("/x", {});
    CHECK(answer.status == 404);
    CHECK(answer.provider_code == 0);
    CHECK(answer.error == "HTTP 404");
}
