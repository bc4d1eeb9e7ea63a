#include "system_harness.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <sstream>

#include "http_client.h"

namespace sb::testing {

using namespace std::chrono_literals;

std::vector<std::string> System::all_services(Carrier carrier) {
    return {"bus", "sandbox", "spark-gateway", gateway_of(carrier), "router", "ingress-web"};
}

System::System(const std::vector<std::string>& services,
               std::map<std::string, std::string> extra_env)
    : Stack("system", std::move(extra_env)) {
    if (!shared().count("LOG_LEVEL")) shared()["LOG_LEVEL"] = "debug";
    for (const std::string& service : services) start(service);
}

void System::start(const std::string& service) {
    Stack::start(service);
}

void System::stop(const std::string& service) {
    REQUIRE(Stack::stop(service));
}

void System::kill9(const std::string& service) {
    REQUIRE(Stack::kill9(service));
}

std::string System::log(const std::string& service) const {
    const std::string text = Stack::log(service);
    return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
}

httplib::Result System::submit_contact_form(
    const std::map<std::string, std::string>& fields) const {
    auto client = http_client(port("ingress-web"));
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
    auto client = http_client(port(service));
    return client.Get(path.c_str());
}

httplib::Result System::post_json(const std::string& service, const std::string& path,
                                  const json& body) const {
    auto client = http_client(port(service));
    if (service == "ingress-web") client.set_bearer_token_auth(api_token());
    return client.Post(path.c_str(), body.dump(), "application/json");
}

httplib::Result System::put_json(const std::string& service, const std::string& path,
                                 const json& body) const {
    auto client = http_client(port(service));
    return client.Put(path.c_str(), body.dump(), "application/json");
}

double System::metric(const std::string& service, const std::string& name,
                      const std::string& labels) const {
    return scrape_metric(port(service), name, labels);
}

}  // namespace sb::testing
