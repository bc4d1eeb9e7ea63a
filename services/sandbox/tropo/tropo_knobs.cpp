// The test knobs under /sandbox/tropo: scripted Session API faults and dropped launches,
// latency, and the statistics.
#include "request_body.h"
#include "switchboard/http_edge.h"
#include "tropo_sandbox.h"

namespace sb::sandbox::tropo {

using json = nlohmann::json;

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
