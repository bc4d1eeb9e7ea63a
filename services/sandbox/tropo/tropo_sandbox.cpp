// The Tropo half's shell: settings, routes and lifecycle. The jobs live beside it: the Session
// API (tropo_session_api.cpp), the simulated phones (tropo_phone_routes.cpp), carrying out what
// the application answered (tropo_answers.cpp) and the test knobs (tropo_knobs.cpp).
#include "tropo_sandbox.h"

#include <spdlog/spdlog.h>

#include "switchboard/http_edge.h"
#include "switchboard/phone.h"

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

std::string app_url_setting(const Environment& env) {
    return env.url_or("SANDBOX_TROPO_APP_URL", "http://127.0.0.1:8081/api/tropo-webhook/");
}

std::string company_number_setting(const Environment& env) {
    const auto number = phone::to_e164(env.get_or("SANDBOX_COMPANY_NUMBER", "+12085550100"));
    if (!number) throw ConfigError("SANDBOX_COMPANY_NUMBER must be a phone number (E.164)");
    return *number;
}

}  // namespace

TropoSandbox::TropoSandbox(const Environment& env, Metrics& metrics)
    : metrics_(metrics),
      tropo_key_(env.get_or("TROPO_KEY", "sandbox-tropo-key")),
      company_number_(company_number_setting(env)),
      app_url_(app_url_setting(env)),
      app_(app_url_) {}

TropoSandbox::~TropoSandbox() {
    stop();
}

void TropoSandbox::register_routes(httplib::Server& server) {
    const auto api = [this](const httplib::Request& request, httplib::Response& response) {
        session_api(request, response);
    };
    server.Get(R"(/1\.0/sessions/?)", api);
    server.Post(R"(/1\.0/sessions/?)", api);

    register_phone_routes(server, "/sandbox/tropo");
    server.Get("/sandbox/tropo/sessions", [this](const httplib::Request&,
                                                 httplib::Response& response) {
        std::lock_guard lock(mutex_);
        reply_json(
            response, 200,
            json{{"sessions", json(std::vector<json>(sessions_.begin(), sessions_.end()))}}.dump());
    });
    const auto faults_route = [this](const httplib::Request& request, httplib::Response& response) {
        faults(request, response);
    };
    server.Get("/sandbox/tropo/faults", faults_route);
    server.Post("/sandbox/tropo/faults", faults_route);
    server.Delete("/sandbox/tropo/faults", faults_route);
    const auto latency_route = [this](const httplib::Request& request,
                                      httplib::Response& response) { latency(request, response); };
    server.Get("/sandbox/tropo/latency", latency_route);
    server.Post("/sandbox/tropo/latency", latency_route);
    server.Delete("/sandbox/tropo/latency", latency_route);
    server.Get("/sandbox/tropo/stats",
               [this](const httplib::Request&, httplib::Response& response) { stats(response); });
    server.Post("/sandbox/tropo/reset",
                [this](const httplib::Request&, httplib::Response& response) {
                    phones_.clear();
                    {
                        std::lock_guard lock(mutex_);
                        sessions_.clear();
                        faults_ = Faults{};
                        session_api_latency_ = std::chrono::milliseconds{0};
                        launched_session_latency_ = std::chrono::milliseconds{0};
                    }
                    reply_json(response, 200, json{{"reset", true}}.dump());
                });
}

void TropoSandbox::register_phone_routes(httplib::Server& server, const std::string& prefix) {
    server.Post(prefix + R"(/phones/([^/]+)/sms)",
                [this](const httplib::Request& request, httplib::Response& response) {
                    phone_sms(request, response);
                });
    server.Post(prefix + R"(/phones/([^/]+)/call)",
                [this](const httplib::Request& request, httplib::Response& response) {
                    phone_call(request, response);
                });
    server.Get(prefix + "/phones", [this](const httplib::Request&, httplib::Response& response) {
        reply_json(response, 200, phones_.list().dump());
    });
    server.Get(prefix + R"(/phones/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                   get_phone(request, response);
               });
}

void TropoSandbox::start(const std::string&) {
    app_.start();
    spdlog::info("tropo sandbox: company number {}, application URL {}", company_number_,
                 app_url_.substr(0, app_url_.find('?')));
}

void TropoSandbox::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
    app_.stop();
}

}  // namespace sb::sandbox::tropo
