// The Tropo Session API (what tropo-gateway calls): GET/POST /1.0/sessions launches a
// token-launched session, answered first and posted to the application after, as Tropo does.
#include <spdlog/spdlog.h>

#include "launch_request.h"
#include "session_json.h"
#include "switchboard/clocks.h"
#include "switchboard/crypto.h"
#include "switchboard/http_edge.h"
#include "switchboard/ids.h"
#include "switchboard/time_format.h"
#include "tropo_sandbox.h"

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

bool same_secret(const std::string& given, const std::string& expected) {
    return !expected.empty() && crypto::constant_time_equals(given, expected);
}

void refuse_session(httplib::Response& response, int status, const std::string& reason) {
    reply_json(response, status, json{{"success", false}, {"reason", reason}}.dump());
}

}  // namespace

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
            log_session_locked(json{{"session_id", session_id},
                                    {"kind", "token_launch"},
                                    {"at", iso8601_now()},
                                    {"dropped", true}});
            return;
        }
    }
    AppDelivery delivery{session_id, token_launch_session(parameters, ids).dump(),
                         [this, session_id](const AppAnswer& answer) {
                             carry_out(session_id, SessionMode::launch, {}, {}, answer);
                         }};
    delivery.not_before = SteadyClock::now() + hold;
    app_.enqueue(std::move(delivery));
}

}  // namespace sb::sandbox::tropo
