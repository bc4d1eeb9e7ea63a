#include "web_fixture.h"

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "form_decoding.h"
#include "switchboard/topics.h"

namespace sb::web::testing {

using namespace sb::testing;
using namespace std::chrono_literals;

WebFixture::WebFixture(Env env) : dir_(make_temp_dir("web")) {
    spdlog::set_level(spdlog::level::warn);  // the consumer node's start-up lines are noise here
    bus_ = std::make_unique<BusProcess>(dir_);

    web_port_ = free_port();
    std::map<std::string, std::string> web_env{
        {"BUS_PUBLISH_ENDPOINT", bus_->publish},
        {"BUS_SUBSCRIBE_ENDPOINT", bus_->subscribe},
        {"INGRESS_WEB_PORT", std::to_string(web_port_)},
        {"DATA_DIR", dir_ + "/ingress"},
        {"COMPANY_NAME", "Acme Outfitters"},
        {"SANDBOX_COMPANY_NUMBER", "+12085550100"},
        {"INGRESS_RATE_LIMIT_BURST", "1000"},
    };
    for (auto& [name, value] : env) web_env[name] = value;
    web_ = std::make_unique<Process>(build_dir() + "/ingress-web", std::vector<std::string>{},
                                     web_env, dir_ + "/ingress-web.log");
    REQUIRE_MESSAGE(wait_until([&] { return http_status(web_port_, "/healthz") == 200; }, 10s),
                    log());

    delivery::Options options;
    options.service = "web-test";
    options.instance = "router-probe";
    options.data_dir = dir_ + "/consumer";
    options.publish_endpoint = bus_->publish;
    options.subscribe_endpoint = bus_->subscribe;
    options.consume = {std::string(topics::customer_messages)};
    consumer_ = std::make_unique<delivery::Node>(options);
    consumer_->on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
        std::lock_guard lock(mutex_);
        received_.push_back(
            {inbound.event.key, inbound.event.id, inbound.event.payload_as<CustomerMessage>()});
    });
    consumer_->start();
}

WebFixture::~WebFixture() {
    consumer_->stop();
    web_->terminate();
    web_->wait_exit(5s);
    bus_->process.terminate();
    bus_->process.wait_exit(5s);
}

httplib::Client WebFixture::client() const {
    httplib::Client client("127.0.0.1", web_port_);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(10, 0);
    client.set_write_timeout(10, 0);
    return client;
}

std::string input_value(const std::string& html, const std::string& name) {
    const std::size_t at = html.find("name=\"" + name + "\"");
    if (at == std::string::npos) return {};
    const std::size_t tag_end = html.find('>', at);
    const std::string marker = "value=\"";
    const std::size_t value_at = html.find(marker, at);
    if (value_at == std::string::npos || value_at > tag_end) return {};
    const std::size_t start = value_at + marker.size();
    return html.substr(start, html.find('"', start) - start);
}

std::string WebFixture::fresh_token() {
    auto result = client().Get("/contact/");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    const std::string token = input_value(result->body, "csrf_token");
    REQUIRE_FALSE(token.empty());
    return token;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += encode_form_component(name) + "=" + encode_form_component(value);
    }
    return body;
}

std::vector<std::pair<std::string, std::string>> valid_fields(const std::string& token,
                                                              const std::string& text) {
    return {{"csrf_token", token},        {"name", "Ann Lee"}, {"phone", "(208) 555-0123"},
            {"email", "ann@example.com"}, {"message", text},   {"website_check", ""}};
}

httplib::Result WebFixture::post_form(
    const std::vector<std::pair<std::string, std::string>>& fields) {
    return client().Post("/contact/", form_body(fields), "application/x-www-form-urlencoded");
}

Env with_api_token(Env env) {
    env["INGRESS_API_TOKEN"] = kApiToken;
    return env;
}

httplib::Result WebFixture::post_api(const std::string& body) {
    return post_raw("/api/customer_room_message_post/", body, "application/json",
                    {{"Authorization", std::string("Bearer ") + kApiToken}});
}

httplib::Result WebFixture::post_raw(const std::string& path, const std::string& body,
                                     const std::string& content_type,
                                     const httplib::Headers& headers) {
    return client().Post(path.c_str(), headers, body, content_type.c_str());
}

std::vector<Received> WebFixture::received() {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<Received> WebFixture::received_through_marker(const std::string& marker) {
    auto result = post_form(valid_fields(fresh_token(), marker));
    REQUIRE(result);
    REQUIRE(result->status == 303);
    const bool arrived = wait_until(
        [&] {
            for (const Received& r : received()) {
                if (r.message.text == marker) return true;
            }
            return false;
        },
        15s);
    REQUIRE_MESSAGE(arrived, log());
    return received();
}

std::string WebFixture::metrics() {
    auto result = client().Get("/metrics");
    return result ? result->body : std::string{};
}

std::string WebFixture::log() {
    return read_file(dir_ + "/ingress-web.log");
}

}  // namespace sb::web::testing
