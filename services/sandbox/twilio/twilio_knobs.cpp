// The test knobs under /sandbox/twilio: scripted REST faults, latency, callbacks duplicated and
// out of order, media auth, Advanced Opt-Out, how dialled numbers answer, undeliverable
// numbers, the refusal list, the statistics and reset. Every input is checked: 400 with a reason.
#include "admin_body.h"
#include "message_request.h"
#include "switchboard/http_edge.h"
#include "switchboard/phone.h"
#include "twilio_sandbox.h"

namespace sb::sandbox::twilio {

using json = nlohmann::json;

namespace {

bool valid_count(const json& value, int max) {
    return value.is_number_integer() && value.get<long long>() >= 0 &&
           value.get<long long>() <= max;
}

}  // namespace

void TwilioSandbox::faults(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") {
        faults_ = Faults{};
    } else if (request.method == "POST") {
        const auto body = admin_body(request);
        if (!body) return reply_error(response, 400, "the body must be a JSON object");
        const std::string mode = string_field(*body, "mode", "");
        if (mode != "429" && mode != "500" && mode != "outage") {
            return reply_error(response, 400, "\"mode\" is \"429\", \"500\" or \"outage\"");
        }
        const auto count = body->find("count");
        if (count == body->end() || !valid_count(*count, 1000000)) {
            return reply_error(response, 400, "\"count\" (REST calls to fault) is a count");
        }
        faults_ = Faults{mode, count->get<int>()};
    }
    reply_json(response, 200,
               json{{"mode", faults_.mode}, {"remaining", faults_.remaining}}.dump());
}

void TwilioSandbox::knobs(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") {
        knobs_ = Knobs{};
    } else if (request.method == "POST") {
        const auto body = admin_body(request);
        if (!body) return reply_error(response, 400, "the body must be a JSON object");
        Knobs next = knobs_;  // a knob not named stays as it is
        for (const auto& [name, value] : body->items()) {
            if (name == "rest_latency_ms" || name == "delivery_latency_ms") {
                if (!valid_count(value, 10000)) {
                    return reply_error(response, 400, "\"" + name + "\" is 0 to 10000");
                }
                (name == "rest_latency_ms" ? next.rest_latency : next.delivery_latency) =
                    std::chrono::milliseconds(value.get<int>());
            } else if (name == "duplicate_callbacks" || name == "out_of_order_callbacks" ||
                       name == "media_auth" || name == "advanced_opt_out") {
                if (!value.is_boolean()) {
                    return reply_error(response, 400, "\"" + name + "\" is true or false");
                }
                const bool on = value.get<bool>();
                if (name == "duplicate_callbacks") next.duplicate_callbacks = on;
                if (name == "out_of_order_callbacks") next.out_of_order_callbacks = on;
                if (name == "media_auth") next.media_auth = on;
                if (name == "advanced_opt_out") next.advanced_opt_out = on;
            } else if (name == "dial_answer") {
                const std::string answer = value.is_string() ? value.get<std::string>() : "";
                if (answer != "completed" && answer != "no-answer" && answer != "busy" &&
                    answer != "failed") {
                    return reply_error(response, 400,
                                       "\"dial_answer\" is completed, no-answer, busy or failed");
                }
                next.dial_answer = answer;
            } else {
                return reply_error(response, 400, "no knob called \"" + name + "\"");
            }
        }
        knobs_ = next;
    }
    reply_json(response, 200,
               json{{"rest_latency_ms", knobs_.rest_latency.count()},
                    {"delivery_latency_ms", knobs_.delivery_latency.count()},
                    {"duplicate_callbacks", knobs_.duplicate_callbacks},
                    {"out_of_order_callbacks", knobs_.out_of_order_callbacks},
                    {"media_auth", knobs_.media_auth},
                    {"advanced_opt_out", knobs_.advanced_opt_out},
                    {"dial_answer", knobs_.dial_answer}}
                   .dump());
}

void TwilioSandbox::undeliverable(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") {
        undeliverable_.clear();
    } else if (request.method == "POST") {
        const auto body = admin_body(request);
        const auto numbers = body ? body->find("numbers") : json::const_iterator{};
        if (!body || numbers == body->end() || !numbers->is_array()) {
            return reply_error(response, 400, "the body is {\"numbers\": [\"+1…\", …]}");
        }
        std::set<std::string> next = undeliverable_;
        for (const json& number : *numbers) {
            const auto e164 =
                number.is_string() ? phone::to_e164(number.get<std::string>()) : std::nullopt;
            if (!e164) return reply_error(response, 400, "\"numbers\" holds phone numbers");
            next.insert(*e164);
        }
        undeliverable_ = next;
    }
    reply_json(response, 200, json{{"numbers", undeliverable_}}.dump());
}

void TwilioSandbox::opt_outs(const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (request.method == "DELETE") opted_out_.clear();
    reply_json(response, 200, json{{"numbers", opted_out_}}.dump());
}

void TwilioSandbox::count_answer(std::map<std::string, std::uint64_t>& counter,
                                 const WebhookAnswer& answer) {
    ++counter[answer.status == 0 ? std::string("unreachable") : std::to_string(answer.status)];
}

void TwilioSandbox::log_webhook(json entry) {
    std::lock_guard lock(mutex_);
    webhook_log_.push_back(std::move(entry));
    while (webhook_log_.size() > kWebhookLog) webhook_log_.pop_front();
}

void TwilioSandbox::stats(httplib::Response& response) const {
    std::lock_guard lock(mutex_);
    json rest = json::object();
    std::uint64_t calls = 0;
    for (const auto& [status, count] : rest_by_status_) {
        rest[std::to_string(status)] = count;
        calls += count;
    }
    json messages = json::object();
    for (const auto& [sid, message] : messages_) {
        messages[message.status] = messages.value(message.status, 0) + 1;
    }
    const json body{
        {"rest", {{"calls", calls}, {"by_status", rest}}},
        {"messages", messages},
        {"webhooks", {{"sent", webhooks_sent_}, {"answers", webhook_answers_}}},
        {"status_callbacks", {{"sent", callbacks_sent_}, {"answers", callback_answers_}}},
        {"sms_from_phones", sms_from_phones_},
        {"sms_to_phones", sms_to_phones_},
        {"calls_placed", calls_placed_},
        {"media", media_.count()},
        {"queued", {{"webhooks", inbound_.queued()}, {"delivery", outbound_.queued()}}}};
    reply_json(response, 200, body.dump());
}

void TwilioSandbox::reset() {
    phones_.clear();
    media_.clear();
    std::lock_guard lock(mutex_);
    messages_.clear();
    message_order_.clear();
    opted_out_.clear();
    undeliverable_.clear();
    faults_ = Faults{};
    knobs_ = Knobs{};
    webhook_log_.clear();
    rest_by_status_.clear();
    webhook_answers_.clear();
    callback_answers_.clear();
    webhooks_sent_ = callbacks_sent_ = sms_from_phones_ = calls_placed_ = sms_to_phones_ = 0;
}

}  // namespace sb::sandbox::twilio
