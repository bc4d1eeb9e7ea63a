// Twilio's REST API as the gateway calls it: Basic auth (the account's sid and token, or an API
// key), Messages.json to send and to read back, an MMS picture behind its media URL.
#include <spdlog/spdlog.h>

#include "admin_body.h"
#include "message_request.h"
#include "rest_errors.h"
#include "signature.h"
#include "switchboard/crypto.h"
#include "switchboard/http_edge.h"
#include "twilio_sandbox.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

// "Basic base64(user:secret)" -> user, secret.
bool basic_credentials(const httplib::Request& request, std::string& user, std::string& secret) {
    const std::string header = request.get_header_value("Authorization");
    if (header.size() < 7 || header.compare(0, 6, "Basic ") != 0) return false;
    const auto decoded = base64_decode(header.substr(6));
    if (!decoded) return false;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    user = decoded->substr(0, colon);
    secret = decoded->substr(colon + 1);
    return true;
}

}  // namespace

bool TwilioSandbox::authenticated(const httplib::Request& request,
                                  const std::string& account) const {
    std::string user;
    std::string secret;
    if (!basic_credentials(request, user, secret)) return false;
    // The path names the account; the credentials must be that account's.
    if (account != settings_.account_sid) return false;
    if (user == settings_.account_sid) {
        return crypto::constant_time_equals(secret, settings_.auth_token);
    }
    return !settings_.api_key_sid.empty() && user == settings_.api_key_sid &&
           crypto::constant_time_equals(secret, settings_.api_key_secret);
}

void TwilioSandbox::count_rest(int status) {
    std::lock_guard lock(mutex_);
    ++rest_by_status_[status];
}

void TwilioSandbox::answer_rest(httplib::Response& response, int status, const std::string& body) {
    count_rest(status);
    response.status = status;
    response.set_content(body, "application/json; charset=utf-8");
}

void TwilioSandbox::answer_error(httplib::Response& response, int code) {
    const RestError error = rest_error(code);
    if (code == 20003) response.set_header("WWW-Authenticate", R"(Basic realm="Twilio API")");
    answer_rest(response, error.status, error_body(error));
}

bool TwilioSandbox::fault(httplib::Response& response, bool authenticated) {
    std::string mode;
    {
        std::lock_guard lock(mutex_);
        if (faults_.remaining <= 0) return false;
        // An outage answers before anything is checked; 429 and 500 come from the API itself,
        // once it knows who is calling.
        if ((faults_.mode == "outage") == authenticated) return false;
        --faults_.remaining;
        mode = faults_.mode;
    }
    if (mode == "429") {
        answer_error(response, 20429);
    } else if (mode == "500") {
        answer_error(response, 20500);
    } else {
        // An outage: what answers is the load balancer, not the API.
        count_rest(503);
        response.status = 503;
        response.set_content("<html><body><h1>503 Service Unavailable</h1></body></html>",
                             "text/html");
    }
    return true;
}

void TwilioSandbox::hold_rest_call() {
    std::unique_lock lock(mutex_);
    if (knobs_.rest_latency.count() == 0) return;
    stopped_.wait_for(lock, knobs_.rest_latency, [this] { return stopping_; });
}

void TwilioSandbox::count_call(const httplib::Request& request, const char* endpoint) {
    metrics_
        .counter("sandbox_api_calls_total", "Provider API calls the sandbox answered",
                 {{"provider", "twilio"}, {"method", request.method}, {"endpoint", endpoint}})
        .add();
}

void TwilioSandbox::create_message(const httplib::Request& request, httplib::Response& response) {
    count_call(request, "messages");
    hold_rest_call();
    const std::string account = request.matches[1].str();
    if (fault(response, false)) return;
    if (!authenticated(request, account)) return answer_error(response, 20003);
    if (fault(response, true)) return;

    const Params params = parse_form(request.body);
    SendContext context;
    context.company_number = settings_.company_number;
    context.messaging_service_sid = settings_.messaging_service_sid;
    context.opted_out = [this](const std::string& number) { return opted_out(number); };
    const SendDecision decision = decide_send(params, context);
    if (decision.error_code != 0) return answer_error(response, decision.error_code);
    const SendRequest& send = decision.request;

    MessageRecord message;
    message.sid = new_sid(send.media_urls.empty() ? "SM" : "MM");
    message.account_sid = settings_.account_sid;
    message.to = send.to;
    message.from = send.from;
    message.messaging_service_sid = send.messaging_service_sid;
    message.body = send.body;
    message.status = send.messaging_service_sid.empty() ? "queued" : "accepted";
    message.status_callback = send.status_callback;
    message.created = message.updated = std::chrono::system_clock::now();
    json answer = message_json(message);
    // The media are fetched when the message goes out; until then Twilio counts the URLs.
    answer["num_media"] = std::to_string(send.media_urls.size());
    {
        std::lock_guard lock(mutex_);
        messages_[message.sid] = message;
        message_order_.push_back(message.sid);
        while (message_order_.size() > kMessagesKept) {
            messages_.erase(message_order_.front());
            message_order_.pop_front();
        }
    }
    const std::string sid = message.sid;
    const std::vector<std::string> media_urls = send.media_urls;
    const bool smart = send.smart_encoded;
    std::chrono::milliseconds delay;
    {
        std::lock_guard lock(mutex_);
        delay = knobs_.delivery_latency;
    }
    outbound_.enqueue([this, sid, media_urls, smart] { deliver(sid, media_urls, smart); },
                      SteadyClock::now() + delay);
    answer_rest(response, 201, dump_json(answer));
}

void TwilioSandbox::fetch_message(const httplib::Request& request, httplib::Response& response) {
    count_call(request, "messages");
    const std::string account = request.matches[1].str();
    if (fault(response, false)) return;
    if (!authenticated(request, account)) return answer_error(response, 20003);
    if (fault(response, true)) return;
    std::lock_guard lock(mutex_);
    const auto found = messages_.find(request.matches[2].str());
    if (found == messages_.end()) {
        const RestError error = rest_error(20404);
        ++rest_by_status_[error.status];
        response.status = error.status;
        response.set_content(error_body(error), "application/json; charset=utf-8");
        return;
    }
    json body = message_json(found->second);
    ++rest_by_status_[200];
    response.status = 200;
    response.set_content(dump_json(body), "application/json; charset=utf-8");
}

void TwilioSandbox::fetch_media(const httplib::Request& request, httplib::Response& response) {
    count_call(request, "media");
    const std::string account = request.matches[1].str();
    bool media_auth;
    {
        std::lock_guard lock(mutex_);
        media_auth = knobs_.media_auth;
    }
    if (account != settings_.account_sid || (media_auth && !authenticated(request, account))) {
        return answer_error(response, 20003);
    }
    const auto media = media_.by_sid(request.matches[2].str(), request.matches[3].str());
    if (!media) return answer_error(response, 20404);
    count_rest(302);
    response.status = 302;
    response.set_header("Location", public_url() + "/twilio/cdn/" + media->cdn_token);
    response.set_header("Content-Type", media->content_type);
}

void TwilioSandbox::serve_cdn(const httplib::Request& request, httplib::Response& response) {
    const auto media = media_.by_token(request.matches[1].str());
    if (!media) {
        response.status = 404;
        response.set_content("Not Found", "text/plain");
        return;
    }
    response.status = 200;
    response.set_header("Cache-Control", "max-age=86400");
    response.set_content(media->bytes, media->content_type.c_str());
}

}  // namespace sb::sandbox::twilio
