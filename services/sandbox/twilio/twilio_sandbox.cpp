// The Twilio half's shell: settings, routes and lifecycle. The jobs live beside it: the REST API
// (twilio_rest.cpp), delivering what was sent and its status callbacks (twilio_delivery.cpp),
// the phones' texts (twilio_phones.cpp) and calls (twilio_voice.cpp), the knobs
// (twilio_knobs.cpp).
#include "twilio_sandbox.h"

#include <spdlog/spdlog.h>

#include "admin_body.h"
#include "message_request.h"
#include "switchboard/http_edge.h"
#include "switchboard/phone.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

// The demo account's credentials (deploy/env.demo spells the same).
constexpr const char* kDemoAccountSid = "AC5b0c1d2e3f405162738495a6b7c8d9e0";
constexpr const char* kDemoAuthToken = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

std::string webhook_url(const Environment& env, const char* name, const char* fallback) {
    std::string url = env.url_or(name, fallback);
    std::string origin;
    std::string path;
    if (!split_url(url, origin, path)) {
        throw ConfigError(std::string(name) + " must be an http(s) URL");
    }
    return url;
}

}  // namespace

TwilioSettings twilio_settings_from(const Environment& env) {
    TwilioSettings settings;
    settings.account_sid = env.get_or("TWILIO_ACCOUNT_SID", kDemoAccountSid);
    if (!is_sid(settings.account_sid, "AC")) {
        throw ConfigError("TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits");
    }
    settings.auth_token = env.get_or("TWILIO_AUTH_TOKEN", kDemoAuthToken);
    if (settings.auth_token.empty()) throw ConfigError("TWILIO_AUTH_TOKEN must not be empty");
    settings.api_key_sid = env.get_or("TWILIO_API_KEY_SID", "");
    settings.api_key_secret = env.get_or("TWILIO_API_KEY_SECRET", "");
    if (!settings.api_key_sid.empty() && !is_sid(settings.api_key_sid, "SK")) {
        throw ConfigError("TWILIO_API_KEY_SID must be SK followed by 32 hex digits");
    }
    if (settings.api_key_sid.empty() != settings.api_key_secret.empty()) {
        throw ConfigError(settings.api_key_sid.empty()
                              ? "TWILIO_API_KEY_SID is required with TWILIO_API_KEY_SECRET"
                              : "TWILIO_API_KEY_SECRET is required with TWILIO_API_KEY_SID");
    }
    const auto number = phone::to_e164(env.get_or("TWILIO_FROM_NUMBER", "+12085550100"));
    if (!number) throw ConfigError("TWILIO_FROM_NUMBER must be a phone number (E.164)");
    settings.company_number = *number;
    settings.messaging_service_sid = env.get_or("TWILIO_MESSAGING_SERVICE_SID", "");
    if (!settings.messaging_service_sid.empty() && !is_sid(settings.messaging_service_sid, "MG")) {
        throw ConfigError("TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hex digits");
    }
    settings.sms_url = webhook_url(env, "TWILIO_SMS_URL", "http://127.0.0.1:8085/api/twilio/sms/");
    settings.voice_url =
        webhook_url(env, "TWILIO_VOICE_URL", "http://127.0.0.1:8085/api/twilio/voice/");
    settings.connect_via = env.get_or("SANDBOX_TWILIO_CONNECT_VIA", "");
    if (!settings.connect_via.empty()) {
        std::string origin;
        std::string path;
        if (!split_url(settings.connect_via, origin, path) || path != "/" ||
            settings.connect_via.rfind("http://", 0) != 0) {
            throw ConfigError("SANDBOX_TWILIO_CONNECT_VIA must be http://host:port");
        }
        settings.connect_via = origin;
    }
    return settings;
}

TwilioSandbox::TwilioSandbox(const Environment& env, Metrics& metrics)
    : metrics_(metrics), settings_(twilio_settings_from(env)) {
    inbound_.connect_via(settings_.connect_via);
    outbound_.connect_via(settings_.connect_via);
}

TwilioSandbox::~TwilioSandbox() {
    stop();
}

void TwilioSandbox::register_routes(httplib::Server& server) {
    const std::string account = R"(/twilio/2010-04-01/Accounts/([^/]+))";
    server.Post(account + R"(/Messages\.json)",
                [this](const httplib::Request& request, httplib::Response& response) {
                    create_message(request, response);
                });
    server.Get(account + R"(/Messages/([^/]+)\.json)",
               [this](const httplib::Request& request, httplib::Response& response) {
                   fetch_message(request, response);
               });
    server.Get(account + R"(/Messages/([^/]+)/Media/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                   fetch_media(request, response);
               });
    server.Get(R"(/twilio/cdn/([0-9a-f]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                   serve_cdn(request, response);
               });

    register_phone_routes(server, "/sandbox/twilio");
    const auto faults_route = [this](const httplib::Request& request, httplib::Response& response) {
        faults(request, response);
    };
    server.Get("/sandbox/twilio/faults", faults_route);
    server.Post("/sandbox/twilio/faults", faults_route);
    server.Delete("/sandbox/twilio/faults", faults_route);
    const auto knobs_route = [this](const httplib::Request& request, httplib::Response& response) {
        knobs(request, response);
    };
    server.Get("/sandbox/twilio/knobs", knobs_route);
    server.Post("/sandbox/twilio/knobs", knobs_route);
    server.Delete("/sandbox/twilio/knobs", knobs_route);
    const auto undeliverable_route = [this](const httplib::Request& request,
                                            httplib::Response& response) {
        undeliverable(request, response);
    };
    server.Get("/sandbox/twilio/undeliverable", undeliverable_route);
    server.Post("/sandbox/twilio/undeliverable", undeliverable_route);
    server.Delete("/sandbox/twilio/undeliverable", undeliverable_route);
    const auto opt_outs_route = [this](const httplib::Request& request,
                                       httplib::Response& response) {
        opt_outs(request, response);
    };
    server.Get("/sandbox/twilio/opt-outs", opt_outs_route);
    server.Delete("/sandbox/twilio/opt-outs", opt_outs_route);
    server.Get(
        "/sandbox/twilio/webhooks", [this](const httplib::Request&, httplib::Response& response) {
            std::lock_guard lock(mutex_);
            reply_json(response, 200,
                       dump_json(json{{"webhooks", json(std::vector<json>(webhook_log_.begin(),
                                                                          webhook_log_.end()))}}));
        });
    server.Get("/sandbox/twilio/messages",
               [this](const httplib::Request&, httplib::Response& response) {
                   // Every message the REST API accepted, oldest first, as GET
                   // …/Messages/{sid}.json would show it: what tests count provider calls per SMS
                   // by.
                   std::lock_guard lock(mutex_);
                   json messages = json::array();
                   for (const std::string& sid : message_order_) {
                       const auto found = messages_.find(sid);
                       if (found != messages_.end())
                           messages.push_back(message_json(found->second));
                   }
                   reply_json(response, 200, dump_json(json{{"messages", messages}}));
               });
    server.Get("/sandbox/twilio/stats",
               [this](const httplib::Request&, httplib::Response& response) { stats(response); });
    server.Post("/sandbox/twilio/reset",
                [this](const httplib::Request&, httplib::Response& response) {
                    reset();
                    reply_json(response, 200, json{{"reset", true}}.dump());
                });
}

void TwilioSandbox::register_phone_routes(httplib::Server& server, const std::string& prefix) {
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

void TwilioSandbox::start(const std::string& public_base_url) {
    {
        std::lock_guard lock(mutex_);
        public_url_ = public_base_url;
        stopping_ = false;
    }
    inbound_.start();
    outbound_.start();
    spdlog::info("twilio sandbox: account {}, company number {}, SMS URL {}, voice URL {}",
                 settings_.account_sid, settings_.company_number,
                 settings_.sms_url.substr(0, settings_.sms_url.find('?')),
                 settings_.voice_url.substr(0, settings_.voice_url.find('?')));
}

void TwilioSandbox::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
    inbound_.stop();
    outbound_.stop();
}

bool TwilioSandbox::opted_out(const std::string& number) const {
    std::lock_guard lock(mutex_);
    return opted_out_.count(number) != 0;
}

std::string TwilioSandbox::public_url() const {
    std::lock_guard lock(mutex_);
    return public_url_;
}

std::string TwilioSandbox::media_path(const StoredMedia& media) const {
    return "/twilio/2010-04-01/Accounts/" + settings_.account_sid + "/Messages/" +
           media.message_sid + "/Media/" + media.media_sid;
}

Params TwilioSandbox::geo_params(const std::string& from, const std::string& to) const {
    // Twilio looks the numbers up; the sandbox knows only the country.
    return {{"FromCity", ""}, {"FromState", ""},
            {"FromZip", ""},  {"FromCountry", phone::country_of(from)},
            {"ToCity", ""},   {"ToState", ""},
            {"ToZip", ""},    {"ToCountry", phone::country_of(to)}};
}

}  // namespace sb::sandbox::twilio
