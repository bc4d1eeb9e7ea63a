// A simulated phone calls the company number: a signed webhook to the number's voice URL, its
// TwiML carried out verb by verb. <Dial> is "answered" the way the call (or the dial knob) says,
// and its action URL gets DialCallStatus, DialCallSid and DialCallDuration, signed; the TwiML it
// answers is carried out in turn. Bad TwiML is Twilio's 12100: the caller hears the error.
#include <spdlog/spdlog.h>

#include "admin_body.h"
#include "switchboard/http_edge.h"
#include "switchboard/phone.h"
#include "switchboard/time_format.h"
#include "twilio_sandbox.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

constexpr int kMaxDocuments = 10;  // redirects and actions followed for one call

bool known_answer(const std::string& answer) {
    return answer == "completed" || answer == "no-answer" || answer == "busy" || answer == "failed";
}

// A relative action URL is resolved against the document's URL, as Twilio does.
std::string resolve(const std::string& base, const std::string& target) {
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) return target;
    std::string origin;
    std::string path;
    if (!split_url(base, origin, path)) return target;
    if (!target.empty() && target[0] == '/') return origin + target;
    const std::string without_query = path.substr(0, path.find('?'));
    return origin + without_query.substr(0, without_query.rfind('/') + 1) + target;
}

}  // namespace

void TwilioSandbox::phone_call(const httplib::Request& request, httplib::Response& response) {
    const auto from = phone::to_e164(request.matches[1].str());
    if (!from) return reply_error(response, 400, "the caller must be a phone number");
    const auto body = admin_body(request);
    if (!body) return reply_error(response, 400, "the body must be a JSON object");
    std::string answer;
    {
        std::lock_guard lock(mutex_);
        answer = knobs_.dial_answer;
    }
    const auto answer_field = body->find("answer");
    if (answer_field != body->end()) {
        if (!answer_field->is_string() || !known_answer(answer_field->get<std::string>())) {
            return reply_error(response, 400, "\"answer\" is completed, no-answer, busy or failed");
        }
        answer = answer_field->get<std::string>();
    }
    int duration = answer == "completed" ? 42 : 0;
    const auto duration_field = body->find("duration");
    if (duration_field != body->end()) {
        if (!duration_field->is_number_integer() || duration_field->get<int>() < 0 ||
            duration_field->get<int>() > 36000) {
            return reply_error(response, 400, "\"duration\" is seconds, 0 to 36000");
        }
        duration = duration_field->get<int>();
    }
    CallRecord record;
    record.call_id = new_sid("CA");
    record.to = settings_.company_number;
    record.started_at = iso8601_now();
    phones_.call_placed(*from, record);
    {
        std::lock_guard lock(mutex_);
        ++calls_placed_;
    }
    const std::string& phone = *from;
    const std::string call_sid = record.call_id;
    inbound_.enqueue(
        [this, phone, call_sid, answer, duration] { run_call(phone, call_sid, answer, duration); });
    reply_json(response, 202, json{{"call_id", call_sid}, {"session_id", call_sid}}.dump());
}

void TwilioSandbox::run_call(const std::string& phone, const std::string& call_sid,
                             const std::string& answer, int duration) {
    Params call = {{"AccountSid", settings_.account_sid},
                   {"ApiVersion", "2010-04-01"},
                   {"CallSid", call_sid},
                   {"CallStatus", "ringing"},
                   {"Called", settings_.company_number},
                   {"Caller", phone},
                   {"Direction", "inbound"},
                   {"From", phone},
                   {"To", settings_.company_number}};
    const Params geo = geo_params(phone, settings_.company_number);
    call.insert(call.end(), geo.begin(), geo.end());
    // Twilio repeats From*/To* as Caller*/Called* on a call.
    for (const auto& [name, value] : geo) {
        const bool from = name.rfind("From", 0) == 0;
        call.emplace_back((from ? "Caller" : "Called") + name.substr(from ? 4 : 2), value);
    }

    std::string outcome = "ended";
    std::string target;
    std::string error;
    std::vector<std::string> heard;
    std::vector<DialRecord> dials;
    json documents = json::array();

    Outgoing next{settings_.voice_url, "POST", call};
    int reporting_dial = -1;  // the dial whose action URL the next document comes from
    for (int document = 0; document < kMaxDocuments && !next.url.empty(); ++document) {
        const WebhookAnswer reply = inbound_.send(next, settings_.auth_token);
        {
            std::lock_guard lock(mutex_);
            ++webhooks_sent_;
            count_answer(webhook_answers_, reply);
        }
        if (reporting_dial >= 0)
            dials[static_cast<size_t>(reporting_dial)].action_status = reply.status;
        reporting_dial = -1;
        json logged{{"url", next.url.substr(0, next.url.find('?'))},
                    {"answer", reply.status},
                    {"body", reply.body.substr(0, 4096)}};
        const std::string document_url = next.url;
        next = Outgoing{};
        VoicePlan plan;
        if (reply.status < 200 || reply.status >= 300) {
            plan.error_code = 11200;
            plan.error = "HTTP retrieval failure: " +
                         (reply.status == 0 ? reply.error : std::to_string(reply.status));
        } else {
            plan = interpret_voice(reply.body);
        }
        if (plan.error_code != 0) {
            logged["error_code"] = plan.error_code;
            logged["error"] = plan.error;
            documents.push_back(logged);
            // Twilio's words to a caller when the application fails.
            heard.push_back("We are sorry, an application error has occurred. Goodbye.");
            if (dials.empty()) outcome = "failed";
            error = std::to_string(plan.error_code) + ": " + plan.error;
            break;
        }
        if (!plan.ignored.empty()) logged["ignored"] = plan.ignored;
        documents.push_back(logged);
        bool finished = false;
        for (const VoiceVerb& verb : plan.verbs) {
            if (verb.kind == VoiceVerb::Kind::say) {
                heard.push_back(verb.text);
            } else if (verb.kind == VoiceVerb::Kind::play) {
                heard.push_back("(audio " + verb.text + ")");
            } else if (verb.kind == VoiceVerb::Kind::hangup) {
                if (outcome == "ended") outcome = "hung up";
                finished = true;
            } else if (verb.kind == VoiceVerb::Kind::reject) {
                outcome = "rejected";
                finished = true;
            } else if (verb.kind == VoiceVerb::Kind::redirect) {
                next = Outgoing{resolve(document_url, verb.text), verb.method, call};
                finished = true;
            } else if (verb.kind == VoiceVerb::Kind::dial) {
                DialRecord dial;
                dial.number = verb.number;
                dial.timeout = verb.timeout;
                dial.action = verb.action;
                dial.method = verb.method;
                dial.status = answer;
                dial.dial_call_sid = new_sid("CA");
                dial.duration = answer == "completed" ? duration : 0;
                target = verb.number;
                outcome = answer == "completed" ? "transferred" : "unanswered";
                dials.push_back(dial);
                if (!verb.action.empty()) {
                    Params params = call;
                    for (auto& [name, value] : params) {
                        if (name == "CallStatus") value = "in-progress";
                    }
                    params.emplace_back("DialCallStatus", dial.status);
                    params.emplace_back("DialCallSid", dial.dial_call_sid);
                    params.emplace_back("DialCallDuration", std::to_string(dial.duration));
                    // The action's answer is the next document; what followed <Dial> is not read.
                    next = Outgoing{resolve(document_url, verb.action), verb.method, params};
                    reporting_dial = static_cast<int>(dials.size()) - 1;
                    finished = true;
                }
            }
            if (finished) break;
        }
        if (finished && next.url.empty()) break;
    }
    const std::string ended = iso8601_now();
    phones_.update_call(phone, call_sid, [&](CallRecord& record) {
        record.outcome = outcome;
        record.target = target;
        record.heard = heard;
        record.dials = dials;
        record.error = error;
        record.ended_at = ended;
    });
    log_webhook({{"kind", "call"},
                 {"call_sid", call_sid},
                 {"from", phone},
                 {"outcome", outcome},
                 {"documents", documents},
                 {"at", ended}});
}

}  // namespace sb::sandbox::twilio
