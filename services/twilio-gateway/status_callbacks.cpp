#include "status_callbacks.h"

#include <spdlog/spdlog.h>

#include "inbound_sms.h"
#include "sms_sender.h"
#include "switchboard/logging.h"
#include "switchboard/topics.h"
#include "twilio_errors.h"
#include "twilio_form.h"
#include "twiml.h"

namespace sb::twilio_gateway {
namespace {

constexpr const char* kSource = "twilio-gateway";

StatusCallbackParse refuse(std::string code, std::string reason) {
    StatusCallbackParse parse;
    parse.refusal = {400, std::move(code), std::move(reason)};
    return parse;
}

}  // namespace

StatusCallbackParse parse_status_callback(const TwilioParams& params, const std::string& query) {
    StatusCallback callback;
    callback.message_sid = param(params, "MessageSid");
    if (!is_twilio_sid(callback.message_sid, "SM") && !is_twilio_sid(callback.message_sid, "MM")) {
        return refuse("bad_message_sid", "MessageSid is missing or not a Twilio message sid");
    }
    callback.status = param(params, "MessageStatus");
    if (callback.status.empty()) return refuse("missing_status", "MessageStatus is missing");
    callback.to = param(params, "To");
    if (callback.to.empty()) return refuse("missing_to", "To is missing");
    callback.error_code = param(params, "ErrorCode");
    // Our own query, signed with the URL: where the report goes.
    const ParsedForm ours = parse_twilio_form(query);
    if (ours.params) {
        callback.room_id = param(*ours.params, "room");
        callback.agent_message_id = param(*ours.params, "reply");
    }
    StatusCallbackParse parse;
    parse.callback = std::move(callback);
    return parse;
}

DeliveryReport status_report(const StatusCallback& callback, const std::string& report_status) {
    DeliveryReport report;
    report.to = callback.to;
    report.status = report_status;
    if (report_status != "delivered") report.reason = callback_error_reason(callback.error_code);
    report.room_id = callback.room_id;
    report.agent_message_id = callback.agent_message_id;
    report.carrier = "twilio";
    report.carrier_code = callback.error_code;
    report.carrier_message_id = callback.message_sid;
    return report;
}

StatusCallbacks::StatusCallbacks(SignedRequests& signed_requests, Commit commit, Metrics& metrics,
                                 std::size_t capacity)
    : signed_(signed_requests), commit_(std::move(commit)), metrics_(metrics), ledger_(capacity) {}

void StatusCallbacks::restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory) {
    const std::string prefix = memory_key("");
    std::lock_guard lock(mutex_);
    for (const auto& [key, value] : memory) {
        if (key.rfind(prefix, 0) != 0 || !value.is_string()) continue;
        const auto let_go = ledger_.record(key.substr(prefix.size()), value.get<std::string>());
        if (let_go) forgotten_.push_back(*let_go);
    }
    if (ledger_.size() > 0) {
        spdlog::info("status callbacks: {} message outcome(s) remembered from before",
                     ledger_.size());
    }
}

void StatusCallbacks::register_routes(httplib::Server& server) {
    server.Post(kStatusPath, [this](const httplib::Request& request, httplib::Response& response) {
        handle(request, response);
    });
}

void StatusCallbacks::handle(const httplib::Request& request, httplib::Response& response) {
    const auto params = signed_.accept(request, response, "status");
    if (!params) return;  // refused, logged and counted
    const auto mark = request.target.find('?');
    const std::string query = mark == std::string::npos ? "" : request.target.substr(mark + 1);
    StatusCallbackParse parse = parse_status_callback(*params, query);
    if (!parse.callback) {
        signed_.reject(response, parse.refusal, "status");
        return;
    }
    signed_.count("status");
    const StatusCallback& callback = *parse.callback;
    metrics_
        .counter("twilio_status_callbacks_total", "Status callbacks taken, by MessageStatus",
                 {{"status", status_rank(callback.status) < 0 ? "other" : callback.status}})
        .add();
    const std::optional<std::string> report_status = report_status_for(callback.status);
    {
        std::lock_guard lock(mutex_);
        const StatusLedger::Verdict verdict = ledger_.judge(callback.message_sid, callback.status);
        if (verdict != StatusLedger::Verdict::advance) {
            spdlog::info("status callback {} {} ignored ({}; the message is {})",
                         callback.message_sid, logging::escape(callback.status),
                         verdict == StatusLedger::Verdict::duplicate   ? "a duplicate"
                         : verdict == StatusLedger::Verdict::backwards ? "it would go backwards"
                                                                       : "an unknown status",
                         ledger_.status_of(callback.message_sid).value_or("new"));
        } else if (!report_status) {
            // On the way (queued, sending, sent): kept for the order, not durable; nothing to
            // report, the command's own report said `sent`.
            const auto let_go = ledger_.record(callback.message_sid, callback.status);
            if (let_go) forgotten_.push_back(*let_go);
        } else {
            const DeliveryReport report = status_report(callback, *report_status);
            delivery::Transaction transaction;
            transaction.publish(topics::sms_reports, make_event(event_type::delivery_report,
                                                                kSource, callback.to, report));
            transaction.remember(memory_key(callback.message_sid), callback.status);
            for (const std::string& sid : forgotten_) transaction.forget(memory_key(sid));
            commit_(std::move(transaction));  // durable before the 200
            forgotten_.clear();
            const auto let_go = ledger_.record(callback.message_sid, callback.status);
            if (let_go) forgotten_.push_back(*let_go);
            metrics_
                .counter("twilio_delivery_reports_total",
                         "Delivery reports published from status callbacks, by status",
                         {{"status", report.status}})
                .add();
            if (report.status == "delivered") {
                spdlog::info("status callback: {} delivered", callback.message_sid);
            } else {
                spdlog::warn("status callback: {} {} ({}: {})", callback.message_sid, report.status,
                             logging::escape(callback.error_code), report.reason);
            }
        }
    }
    response.status = 200;
    response.set_content(empty_response(), kTwimlContentType);
}

}  // namespace sb::twilio_gateway
