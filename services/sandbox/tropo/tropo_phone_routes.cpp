// The simulated phones' admin routes: a phone texts or calls the company number (a real inbound
// session is posted to the application), and what a phone has received, sent and called.
#include "request_body.h"
#include "session_json.h"
#include "switchboard/http_edge.h"
#include "switchboard/ids.h"
#include "switchboard/phone.h"
#include "switchboard/time_format.h"
#include "tropo_sandbox.h"

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxPhoneText = 4096;

SessionIds fresh_ids() {
    return SessionIds{new_id(), new_id(), iso8601_now()};
}

}  // namespace

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
    const std::string& phone = *from;
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
    // How the contact center takes the transfer, in Twilio's DialCallStatus words.
    const std::string answer = string_or(*body, "answer", "completed");
    const bool known =
        answer == "completed" || answer == "no-answer" || answer == "busy" || answer == "failed";
    if ((body->contains("answer") && !(*body)["answer"].is_string()) || !known) {
        return reply_error(response, 400, "\"answer\" is completed, no-answer, busy or failed");
    }

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
                  [this, session_id, from, call_id, answer](const AppAnswer& app_answer) {
                      carry_out(session_id, SessionMode::voice, from, call_id, app_answer, answer);
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

}  // namespace sb::sandbox::tropo
