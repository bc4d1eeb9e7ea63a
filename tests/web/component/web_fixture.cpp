#include "web_fixture.h"

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "form_decoding.h"
#include "http_client.h"
#include "switchboard/text.h"
#include "switchboard/topics.h"

namespace sb::testing {

using namespace std::chrono_literals;

WebFixture::WebFixture(const Env& env) : Stack("web") {
    spdlog::set_level(spdlog::level::warn);  // the consumer node's start-up lines are noise here
    start("bus");
    Start how;
    how.env = {{"INGRESS_RATE_LIMIT_BURST", "1000"}};
    for (const auto& [name, value] : env) how.env[name] = value;
    if (!env.count("INGRESS_API_TOKEN")) how.without = {"INGRESS_API_TOKEN"};
    start("ingress-web", how);

    consumer_ = recorder("router-probe", {std::string(topics::customer_messages)});
    consumer_->start();
}

WebFixture::~WebFixture() {
    consumer_->stop();
}

httplib::Client WebFixture::client() const {
    return http_client(port());
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
    std::string token = input_value(result->body, "csrf_token");  // not const: returned by a move
    REQUIRE_FALSE(token.empty());
    return token;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += sb::percent_encode(name) + "=" + sb::percent_encode(value);
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
    env["INGRESS_API_TOKEN"] = demo().api_token;
    return env;
}

httplib::Result WebFixture::post_api(const std::string& body) {
    return post_raw("/api/customer_room_message_post/", body, "application/json",
                    {{"Authorization", "Bearer " + demo().api_token}});
}

httplib::Result WebFixture::post_raw(const std::string& path, const std::string& body,
                                     const std::string& content_type,
                                     const httplib::Headers& headers) {
    return client().Post(path.c_str(), headers, body, content_type.c_str());
}

std::vector<Received> WebFixture::received() {
    std::vector<Received> received;
    for (const Envelope& event : consumer_->events()) {
        received.push_back({event.key, event.id, event.payload_as<CustomerMessage>()});
    }
    return received;
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
    return Stack::log("ingress-web");
}

}  // namespace sb::testing
