// What happens to a message the REST API accepted, on the delivery worker: its pictures are
// fetched from their MediaUrl (as Twilio does), it reaches the phone (or not: the undeliverable
// list), and its status callbacks are posted, signed, in the order the knobs say.
#include <spdlog/spdlog.h>

#include <ctime>

#include "switchboard/smart_encoding.h"
#include "switchboard/time_format.h"
#include "twilio_sandbox.h"

namespace sb::sandbox::twilio {
namespace {

constexpr size_t kMaxMediaBytes = 5 * 1024 * 1024;  // Twilio's MMS limit

// RawDlrDoneDate: the carrier's YYMMDDhhmm.
std::string raw_dlr_done_date(std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%y%m%d%H%M", &utc);
    return text;
}

}  // namespace

void TwilioSandbox::set_status(const std::string& sid, const std::string& status, int error_code,
                               const std::string& error_message) {
    std::lock_guard lock(mutex_);
    const auto found = messages_.find(sid);
    if (found == messages_.end()) return;
    MessageRecord& message = found->second;
    message.status = status;
    message.error_code = error_code;
    message.error_message = error_message;
    message.updated = std::chrono::system_clock::now();
    if (status == "sent") message.sent_at = message.updated;
}

void TwilioSandbox::to_phone(const std::string& number, const std::string& text,
                             const std::string& sid, std::vector<MediaRef> media) {
    phones_.received(
        number, TextRecord{settings_.company_number, text, iso8601_now(), sid, std::move(media)});
    std::lock_guard lock(mutex_);
    ++sms_to_phones_;
}

void TwilioSandbox::deliver(const std::string& sid, const std::vector<std::string>& media_urls,
                            bool smart) {
    MessageRecord message;
    bool undeliverable_number = false;
    bool duplicate = false;
    bool out_of_order = false;
    {
        std::lock_guard lock(mutex_);
        const auto found = messages_.find(sid);
        if (found == messages_.end()) return;
        message = found->second;
        undeliverable_number = undeliverable_.count(message.to) != 0;
        duplicate = knobs_.duplicate_callbacks;
        out_of_order = knobs_.out_of_order_callbacks;
    }
    std::vector<MediaRef> pictures;
    for (const std::string& url : media_urls) {
        const WebhookAnswer fetched = outbound_.fetch(url, kMaxMediaBytes);
        if (fetched.status != 200 || fetched.content_type.empty()) {
            // Twilio could not fetch the picture: the message fails (11200), nothing is sent.
            spdlog::warn("twilio sandbox: message {}: media {} not fetched: {}", sid,
                         url.substr(0, url.find('?')),
                         fetched.status == 0 ? fetched.error : std::to_string(fetched.status));
            set_status(sid, "failed", 11200, "HTTP retrieval failure");
            message.status = "failed";
            message.error_code = 11200;
            post_status_callbacks(message, {"failed"});
            return;
        }
        const StoredMedia stored = media_.add(sid, fetched.content_type, fetched.body);
        pictures.push_back({stored.content_type, "/twilio/cdn/" + stored.cdn_token});
        std::lock_guard lock(mutex_);
        const auto found = messages_.find(sid);
        if (found != messages_.end()) found->second.media_sids.push_back(stored.media_sid);
    }
    {
        // A Messaging Service picks its sender when it sends: the company number.
        std::lock_guard lock(mutex_);
        const auto found = messages_.find(sid);
        if (found != messages_.end() && found->second.from.empty()) {
            found->second.from = settings_.company_number;
        }
    }
    set_status(sid, "sent");
    std::string final_status = "delivered";
    int error_code = 0;
    if (undeliverable_number) {
        final_status = "undelivered";
        error_code = 30003;
        set_status(sid, final_status, error_code, "Unreachable destination handset");
    } else {
        to_phone(message.to, smart ? smart_encode(message.body) : message.body, sid,
                 std::move(pictures));
        set_status(sid, final_status);
    }
    message.error_code = error_code;
    std::vector<std::string> statuses = {"sent", final_status};
    if (out_of_order) std::swap(statuses[0], statuses[1]);
    if (duplicate) statuses = {statuses[0], statuses[0], statuses[1], statuses[1]};
    post_status_callbacks(message, statuses);
}

void TwilioSandbox::post_status_callbacks(const MessageRecord& message,
                                          const std::vector<std::string>& statuses) {
    if (message.status_callback.empty()) return;
    for (const std::string& status : statuses) {
        Params params = {{"AccountSid", message.account_sid},
                         {"ApiVersion", "2010-04-01"},
                         {"From", message.from.empty() ? settings_.company_number : message.from},
                         {"MessageSid", message.sid},
                         {"MessageStatus", status},
                         {"SmsSid", message.sid},
                         {"SmsStatus", status},
                         {"To", message.to}};
        if (!message.messaging_service_sid.empty()) {
            params.emplace_back("MessagingServiceSid", message.messaging_service_sid);
        }
        const bool final = status == "delivered" || status == "undelivered";
        if ((status == "undelivered" || status == "failed") && message.error_code != 0) {
            params.emplace_back("ErrorCode", std::to_string(message.error_code));
        }
        if (final) {
            params.emplace_back("RawDlrDoneDate",
                                raw_dlr_done_date(std::chrono::system_clock::now()));
        }
        const WebhookAnswer answer =
            outbound_.send(Outgoing{message.status_callback, "POST", params}, settings_.auth_token);
        {
            std::lock_guard lock(mutex_);
            ++callbacks_sent_;
            count_answer(callback_answers_, answer);
        }
        log_webhook({{"kind", "status"},
                     {"url", message.status_callback},
                     {"message_sid", message.sid},
                     {"status_sent", status},
                     {"answer", answer.status},
                     {"error", answer.error},
                     {"at", iso8601_now()}});
    }
}

}  // namespace sb::sandbox::twilio
