#include "tropo_sandbox.h"

#include <spdlog/spdlog.h>

#include "launch_request.h"
#include "session_json.h"
#include "switchboard/crypto.h"
#include "switchboard/http_edge.h"
#include "switchboard/ids.h"
#include "switchboard/phone.h"
#include "switchboard/time_format.h"

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

constexpr size_t kSessionLog = 500;
constexpr size_t kMaxPhoneText = 4096;

bool same_secret(const std::string& given, const std::string& expected) {
    return !expected.empty() && crypto::constant_time_equals(given, expected);
}

SessionIds fresh_ids() {
    return SessionIds{new_id(), new_id(), iso8601_now()};
}

// The JSON body of an admin request; an empty body is an empty object.
std::optional<json> body_object(const httplib::Request& request) {
    if (request.body.empty()) return json::object();
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    return body;
}

std::string string_or(const json& object, const char* name, const std::string& fallback) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

void refuse_session(httplib::Response& response, int status, const std::string& reason) {
    reply_json(response, status, json{{"success", false}, {"reason", reason}}.dump());
}

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

    server.Post(R"(/sandbox/tropo/phones/([^/]+)/sms)",
                [this](const httplib::Request& request, httplib::Response& response) {
                    phone_sms(request, response);
                });
    server.Post(R"(/sandbox/tropo/phones/([^/]+)/call)",
                [this](const httplib::Request& request, httplib::Response& response) {
                    phone_call(request, response);
                });
    server.Get("/sandbox/tropo/phones",
               [this](const httplib::Request&, httplib::Response& response) {
                   reply_json(response, 200, phones_.list().dump());
               });
    server.Get(R"(/sandbox/tropo/phones/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                   get_phone(request, response);
               });
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

// ---- The Session API ---------------------------------------------------------------------

void TropoSandbox::session_api(const httplib::Request& request, httplib::Response& response) {
    ++counters_.session_api_calls;
    metrics_
        .counter("sandbox_api_calls_total", "Provider API calls the sandbox answered",
                 {{"provider", "tropo"}, {"method", request.method}, {"endpoint", "sessions"}})
        .add();
    delay_session_api();
    {
        std::lock_guard lock(mutex_);
        if (faults_.remaining > 0) {
            --faults_.remaining;
            ++counters_.session_api_faulted;
            if (faults_.mode == "refuse") {
                refuse_session(response, 200, "sandbox fault: session refused");
            } else {
                refuse_session(response, faults_.status, "sandbox fault: service unavailable");
            }
            return;
        }
    }
    const LaunchRequest launch = read_launch_request(request);
    if (!launch.error.empty()) {
        ++counters_.session_api_refused;
        refuse_session(response, 400, launch.error);
        return;
    }
    std::map<std::string, std::string> parameters = launch.parameters;
    const auto token = parameters.find("token");
    if (token == parameters.end() || !same_secret(token->second, tropo_key_)) {
        ++counters_.session_api_refused;
        spdlog::warn("tropo sandbox: session refused: wrong or missing token");
        refuse_session(response, 403, "Invalid token");
        return;
    }
    const auto action = parameters.find("action");
    if (action != parameters.end() && action->second != "create") {
        ++counters_.session_api_refused;
        refuse_session(response, 400, "Unsupported action: only action=create starts a session");
        return;
    }
    parameters["action"] = "create";

    const SessionIds ids{new_id(), {}, iso8601_now()};
    ++counters_.sessions_launched;
    reply_json(response, 200,
               json{{"success", true}, {"token", token->second}, {"id", ids.session_id}}.dump());

    // Like Tropo, the session reaches the application after the API call has been answered.
    const std::string session_id = ids.session_id;
    std::chrono::milliseconds hold{0};
    {
        std::lock_guard lock(mutex_);
        hold = launched_session_latency_;
        if (faults_.drop_launched > 0) {
            // Launched, as the answer said, but the session never reaches the application (as
            // when Tropo gives up on it): the SMS is not sent unless the client launches again.
            --faults_.drop_launched;
            ++counters_.launches_dropped;
            spdlog::info("tropo sandbox: session {} dropped (fault): never posted", session_id);
            sessions_.push_back(json{{"session_id", session_id},
                                     {"kind", "token_launch"},
                                     {"at", iso8601_now()},
                                     {"dropped", true}});
            while (sessions_.size() > kSessionLog) sessions_.pop_front();
            return;
        }
    }
    AppDelivery delivery{session_id, token_launch_session(parameters, ids).dump(),
                         [this, session_id](const AppAnswer& answer) {
                             carry_out(session_id, SessionMode::launch, {}, {}, answer);
                         }};
    delivery.not_before = std::chrono::steady_clock::now() + hold;
    app_.enqueue(std::move(delivery));
}

// ---- Simulated phones --------------------------------------------------------------------

void TropoSandbox::phone_sms(const httplib::Request& request, httplib::Response& response) {
    const auto from = phone::to_e164(request.matches[1].str());
    if (!from) return reply_error(response, 400, "the phone number in the path is no number");
    const auto body = body_object(request);
    if (!body) return reply_error(response, 400, "the body must be a JSON object {\"text\": ...}");
    const std::string text = string_or(*body, "text", "");
    if (text.empty()) return reply_error(response, 400, "\"text\" is required");
    if (text.size() > kMaxPhoneText) return reply_error(response, 400, "\"text\" is too long");
    const std::string to_raw = string_or(*body, "to", company_number_);
    const auto to = phone::to_e164(to_raw);
    if (!to) return reply_error(response, 400, "\"to\" is no phone number");

    const SessionIds ids = fresh_ids();
    phones_.sent(*from, TextRecord{*to, text, ids.timestamp, ids.session_id});
    ++counters_.sms_from_phones;
    const std::string phone = *from;
    const std::string session_id = ids.session_id;
    app_.enqueue({session_id, inbound_sms_session({*from, *to, text}, ids).dump(),
                  [this, session_id, phone](const AppAnswer& answer) {
                      carry_out(session_id, SessionMode::text, phone, {}, answer);
                  }});
    reply_json(response, 202,
               json{{"session_id", ids.session_id}, {"call_id", ids.call_id}}.dump());
}

void TropoSandbox::phone_call(const httplib::Request& request, httplib::Response& response) {
    const std::string raw = request.matches[1].str();
    std::string from;
    if (is_anonymous_label(raw)) {
        from = raw;
    } else if (const auto number = phone::to_e164(raw)) {
        from = *number;
    } else {
        return reply_error(response, 400,
                           "the caller must be a phone number, Restricted or Unknown");
    }
    const auto body = body_object(request);
    if (!body) return reply_error(response, 400, "the body must be a JSON object");
    InboundCall call;
    call.from = from;
    call.to = company_number_;
    call.network = string_or(*body, "network", "SIP");
    if (call.network != "SIP" && call.network != "PSTN" && call.network != "VOIP") {
        return reply_error(response, 400, "\"network\" is SIP, PSTN or VOIP");
    }
    call.caller_name = string_or(*body, "name", "");
    if (call.caller_name.size() > 64) return reply_error(response, 400, "\"name\" is too long");

    const SessionIds ids = fresh_ids();
    CallRecord record;
    record.call_id = ids.call_id;
    record.session_id = ids.session_id;
    record.to = company_number_;
    record.started_at = ids.timestamp;
    phones_.call_placed(from, record);
    ++counters_.calls_placed;
    const std::string session_id = ids.session_id;
    const std::string call_id = ids.call_id;
    app_.enqueue({session_id, inbound_call_session(call, ids).dump(),
                  [this, session_id, from, call_id](const AppAnswer& answer) {
                      carry_out(session_id, SessionMode::voice, from, call_id, answer);
                  }});
    reply_json(response, 202,
               json{{"session_id", ids.session_id}, {"call_id", ids.call_id}}.dump());
}

void TropoSandbox::get_phone(const httplib::Request& request, httplib::Response& response) {
    const std::string raw = request.matches[1].str();
    const auto number =
        is_anonymous_label(raw) ? std::optional<std::string>(raw) : phone::to_e164(raw);
    if (!number) return reply_error(response, 400, "no phone number");
    const auto phone = phones_.phone(*number);
    if (!phone) {
        // A phone nobody has texted or called yet is simply empty.
        reply_json(response, 200,
                   json{{"number", *number},
                        {"inbox", json::array()},
                        {"sent", json::array()},
                        {"calls", json::array()}}
                       .dump());
        return;
    }
    reply_json(response, 200, phone->dump());
}

// ---- What the application answered -------------------------------------------------------

void TropoSandbox::deliver_sms(const std::string& to, const std::string& text,
                               const std::string& session_id) {
    const auto number = phone::to_e164(strip_tel(to));
    if (!number) {
        spdlog::warn("tropo sandbox: session {} sent an SMS to no number", session_id);
        return;
    }
    phones_.received(*number, TextRecord{company_number_, text, iso8601_now(), session_id});
    ++counters_.sms_delivered;
}

void TropoSandbox::carry_out(const std::string& session_id, SessionMode mode,
                             const std::string& phone, const std::string& call_id,
                             const AppAnswer& answer) {
    ++counters_.sessions_posted;
    json entry{{"session_id", session_id},
               {"kind", mode == SessionMode::text    ? "sms"
                        : mode == SessionMode::voice ? "call"
                                                     : "token_launch"},
               {"at", iso8601_now()},
               {"status", answer.status},
               {"attempts", answer.attempts},
               {"maybe_taken", answer.maybe_taken}};
    std::string failure;
    Interpretation done;
    if (answer.status < 200 || answer.status >= 300) {
        failure = answer.status == 0 ? "application unreachable: " + answer.error
                                     : "application answered HTTP " + std::to_string(answer.status);
    } else {
        done = interpret_answer(answer.body, mode, phone);
        failure = done.error;
    }
    if (!failure.empty()) {
        ++counters_.app_errors;
        entry["error"] = failure;
        if (mode == SessionMode::voice) {
            phones_.update_call(phone, call_id, [&](CallRecord& call) {
                call.outcome = "failed";
                call.error = failure;
                call.ended_at = iso8601_now();
            });
        }
        log_session(std::move(entry));
        return;
    }

    json effects = json::array();
    std::string outcome = "ended";  // Tropo hangs up when the document runs out
    std::string target;
    std::vector<std::string> heard;
    for (const Effect& effect : done.effects) {
        switch (effect.kind) {
            case Effect::Kind::sms:
                deliver_sms(effect.to, effect.text, session_id);
                effects.push_back({{"sms", strip_tel(effect.to)}});
                break;
            case Effect::Kind::speech:
                heard.push_back(effect.text);
                break;
            case Effect::Kind::transfer:
                outcome = "transferred";
                target = effect.to;
                break;
            case Effect::Kind::redirect:
                outcome = "redirected";
                target = effect.to;
                break;
            case Effect::Kind::reject:
                outcome = "rejected";
                break;
            case Effect::Kind::hangup:
                outcome = "hung up";
                break;
        }
    }
    if (mode == SessionMode::voice) {
        phones_.update_call(phone, call_id, [&](CallRecord& call) {
            call.outcome = outcome;
            call.target = target;
            call.heard = heard;
            call.ended_at = iso8601_now();
        });
        entry["outcome"] = outcome;
        if (!target.empty()) entry["target"] = target;
    }
    entry["effects"] = effects;
    if (!done.ignored.empty()) entry["ignored"] = done.ignored;
    log_session(std::move(entry));
}

void TropoSandbox::log_session(json entry) {
    std::lock_guard lock(mutex_);
    sessions_.push_back(std::move(entry));
    while (sessions_.size() > kSessionLog) sessions_.pop_front();
}

// ---- Test knobs --------------------------------------------------------------------------

void TropoSandbox::faults(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") {
        faults_ = Faults{};
    } else if (request.method == "POST") {
        const auto body = body_object(request);
        if (!body) return reply_error(response, 400, "the body must be a JSON object");
        Faults next;
        next.mode = string_or(*body, "mode", "error");
        if (next.mode != "error" && next.mode != "refuse") {
            return reply_error(response, 400, "\"mode\" is error or refuse");
        }
        const auto count = body->find("count");
        const auto status = body->find("status");
        const auto drop = body->find("drop_launched");
        const auto valid_count = [](const json& value) {
            return value.is_number_integer() && value.get<int>() >= 0 &&
                   value.get<int>() <= 1000000;
        };
        if (drop != body->end()) {
            if (!valid_count(*drop)) {
                return reply_error(response, 400,
                                   "\"drop_launched\" (launched sessions to drop) is a count");
            }
            next.drop_launched = drop->get<int>();
        }
        if (count == body->end() && drop == body->end()) {
            return reply_error(response, 400,
                               "\"count\" (calls to fault) or \"drop_launched\" is required");
        }
        if (count != body->end() && !valid_count(*count)) {
            return reply_error(response, 400, "\"count\" (calls to fault) is a count");
        }
        next.remaining = count == body->end() ? 0 : count->get<int>();
        if (status != body->end()) {
            if (!status->is_number_integer() || status->get<int>() < 500 ||
                status->get<int>() > 599) {
                return reply_error(response, 400, "\"status\" is a 5xx code");
            }
            next.status = status->get<int>();
        }
        faults_ = next;
    }
    reply_json(response, 200,
               json{{"mode", faults_.mode},
                    {"status", faults_.status},
                    {"remaining", faults_.remaining},
                    {"drop_launched", faults_.drop_launched}}
                   .dump());
}

void TropoSandbox::delay_session_api() {
    std::unique_lock lock(mutex_);
    if (session_api_latency_.count() == 0) return;
    // The call has arrived (and is counted) but is neither answered nor acted on until the
    // latency has passed: a client that dies meanwhile never learns whether it was launched.
    stopped_.wait_for(lock, session_api_latency_, [this] { return stopping_; });
}

void TropoSandbox::latency(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") {
        session_api_latency_ = std::chrono::milliseconds{0};
        launched_session_latency_ = std::chrono::milliseconds{0};
    } else if (request.method == "POST") {
        const auto body = body_object(request);
        if (!body) return reply_error(response, 400, "the body must be a JSON object");
        const auto api = body->find("session_api_ms");
        const auto launched = body->find("launched_session_ms");
        const auto valid = [](const json& value) {
            return value.is_number_integer() && value.get<int>() >= 0 && value.get<int>() <= 10000;
        };
        if ((api == body->end() && launched == body->end()) ||
            (api != body->end() && !valid(*api)) ||
            (launched != body->end() && !valid(*launched))) {
            return reply_error(
                response, 400,
                "\"session_api_ms\" and/or \"launched_session_ms\" (0 to 10000) is required");
        }
        // A value not given stays as it was.
        if (api != body->end()) session_api_latency_ = std::chrono::milliseconds(api->get<int>());
        if (launched != body->end()) {
            launched_session_latency_ = std::chrono::milliseconds(launched->get<int>());
        }
    }
    reply_json(response, 200,
               json{{"session_api_ms", session_api_latency_.count()},
                    {"launched_session_ms", launched_session_latency_.count()}}
                   .dump());
}

void TropoSandbox::stats(httplib::Response& response) const {
    const json body{{"session_api",
                     {{"calls", counters_.session_api_calls.load()},
                      {"launched", counters_.sessions_launched.load()},
                      {"refused", counters_.session_api_refused.load()},
                      {"faulted", counters_.session_api_faulted.load()},
                      {"dropped", counters_.launches_dropped.load()}}},
                    {"sessions_posted", counters_.sessions_posted.load()},
                    {"app_errors", counters_.app_errors.load()},
                    {"sms_delivered", counters_.sms_delivered.load()},
                    {"sms_from_phones", counters_.sms_from_phones.load()},
                    {"calls_placed", counters_.calls_placed.load()},
                    {"queued", app_.queued()}};
    reply_json(response, 200, body.dump());
}

}  // namespace sb::sandbox::tropo
