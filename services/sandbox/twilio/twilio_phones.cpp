// A simulated phone texts the company number: Twilio's own keyword handling (STOP, START, HELP),
// the message and its pictures stored, and a signed webhook to the number's SMS URL whose TwiML
// answer is carried out (each <Message> reaches the phone).
#include <spdlog/spdlog.h>

#include "admin_body.h"
#include "opt_out.h"
#include "signature.h"
#include "switchboard/http_edge.h"
#include "switchboard/phone.h"
#include "switchboard/text.h"
#include "switchboard/time_format.h"
#include "twilio_sandbox.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxPhoneText = 1600;
constexpr size_t kMaxPictures = 10;

struct Picture {
    std::string content_type;
    std::string bytes;
};

// The admin call's "media": [{"content_type", "data_base64"}]; a reason when it is malformed.
std::string read_pictures(const json& body, std::vector<Picture>& pictures) {
    const auto media = body.find("media");
    if (media == body.end() || media->is_null()) return {};
    if (!media->is_array()) return "\"media\" is a list of {\"content_type\", \"data_base64\"}";
    if (media->size() > kMaxPictures) return "at most 10 pictures";
    for (const json& item : *media) {
        if (!item.is_object()) return "each picture is {\"content_type\", \"data_base64\"}";
        const std::string type = string_field(item, "content_type", "");
        if (type.find('/') == std::string::npos || type.size() > 100 ||
            has_control_characters(type, false)) {
            return "\"content_type\" is a MIME type such as image/jpeg";
        }
        auto bytes = base64_decode(string_field(item, "data_base64", ""));
        if (!bytes || bytes->empty()) return "\"data_base64\" is the picture in base64";
        pictures.push_back({type, std::move(*bytes)});
    }
    return {};
}

}  // namespace

void TwilioSandbox::phone_sms(const httplib::Request& request, httplib::Response& response) {
    const auto from = phone::to_e164(request.matches[1].str());
    if (!from) return reply_error(response, 400, "the phone number in the path is no number");
    const auto body = admin_body(request);
    if (!body) return reply_error(response, 400, "the body must be a JSON object {\"text\": ...}");
    const auto text_field = body->find("text");
    if (text_field != body->end() && !text_field->is_string()) {
        return reply_error(response, 400, "\"text\" is a string");
    }
    const std::string text = string_field(*body, "text", "");
    if (!is_valid_utf8(text)) return reply_error(response, 400, "\"text\" is not UTF-8");
    if (code_point_count(text) > kMaxPhoneText) {
        return reply_error(response, 400, "\"text\" is longer than 1600 characters");
    }
    std::vector<Picture> pictures;
    const std::string bad_media = read_pictures(*body, pictures);
    if (!bad_media.empty()) return reply_error(response, 400, bad_media);
    if (text.empty() && pictures.empty()) {
        return reply_error(response, 400, "\"text\" or \"media\" is required");
    }

    const std::string sid = new_sid(pictures.empty() ? "SM" : "MM");
    std::vector<MediaRef> shown;
    Params media_params;
    const std::string base = public_url();
    for (size_t i = 0; i < pictures.size(); ++i) {
        const StoredMedia stored =
            media_.add(sid, pictures[i].content_type, std::move(pictures[i].bytes));
        shown.push_back({stored.content_type, "/twilio/cdn/" + stored.cdn_token});
        media_params.emplace_back("MediaContentType" + std::to_string(i), stored.content_type);
        media_params.emplace_back("MediaUrl" + std::to_string(i), base + media_path(stored));
    }
    phones_.sent(*from, TextRecord{settings_.company_number, text, iso8601_now(), sid, shown});

    // Twilio's own handling comes first: the refusal list, and its confirmation to the phone.
    const Keyword keyword = classify_keyword(text);
    bool advanced;
    {
        std::lock_guard lock(mutex_);
        ++sms_from_phones_;
        if (keyword == Keyword::stop) opted_out_.insert(*from);
        if (keyword == Keyword::start) opted_out_.erase(*from);
        advanced = knobs_.advanced_opt_out;
    }
    if (keyword != Keyword::none) {
        to_phone(*from, keyword_reply(keyword), new_sid("SM"));
    }

    Params params = {{"ToCountry", phone::country_of(settings_.company_number)},
                     {"ToState", ""},
                     {"SmsMessageSid", sid},
                     {"NumMedia", std::to_string(shown.size())},
                     {"ToCity", ""},
                     {"FromZip", ""},
                     {"SmsSid", sid},
                     {"FromState", ""},
                     {"SmsStatus", "received"},
                     {"FromCity", ""},
                     {"Body", text},
                     {"FromCountry", phone::country_of(*from)},
                     {"To", settings_.company_number},
                     {"ToZip", ""},
                     {"NumSegments", std::to_string(segment_count(text))},
                     {"MessageSid", sid},
                     {"AccountSid", settings_.account_sid},
                     {"From", *from},
                     {"ApiVersion", "2010-04-01"}};
    if (!settings_.messaging_service_sid.empty()) {
        params.emplace_back("MessagingServiceSid", settings_.messaging_service_sid);
    }
    if (advanced && keyword != Keyword::none) {
        params.emplace_back("OptOutType", opt_out_type(keyword));
    }
    params.insert(params.end(), media_params.begin(), media_params.end());

    const std::string& phone = *from;
    const std::string url = settings_.sms_url;
    inbound_.enqueue([this, phone, sid, url, params] {
        const WebhookAnswer answer =
            inbound_.send(Outgoing{url, "POST", params}, settings_.auth_token);
        carry_out_messaging(phone, sid, answer);
    });
    reply_json(response, 202,
               json{{"message_sid", sid}, {"session_id", sid}, {"num_media", shown.size()}}.dump());
}

void TwilioSandbox::carry_out_messaging(const std::string& phone, const std::string& inbound_sid,
                                        const WebhookAnswer& answer) {
    json entry{{"kind", "sms"},
               {"message_sid", inbound_sid},
               {"from", phone},
               {"url", settings_.sms_url.substr(0, settings_.sms_url.find('?'))},
               {"answer", answer.status},
               {"content_type", answer.content_type},
               {"body", answer.body.substr(0, 4096)},
               {"at", iso8601_now()}};
    {
        std::lock_guard lock(mutex_);
        ++webhooks_sent_;
        count_answer(webhook_answers_, answer);
    }
    std::string failure;
    int code = 0;
    if (answer.status == 0) {
        code = 11200;
        failure = "HTTP retrieval failure: " + answer.error;
    } else if (answer.status < 200 || answer.status >= 300) {
        code = 11200;
        failure =
            "HTTP retrieval failure: the application answered " + std::to_string(answer.status);
    } else if (answer.content_type.empty() && !answer.body.empty()) {
        code = 12300;
        failure = "Invalid Content-Type: the answer has none";
    }
    MessagingPlan plan;
    if (code == 0) {
        plan = interpret_messaging(answer.body);
        code = plan.error_code;
        failure = plan.error;
    }
    if (code != 0) {
        entry["error_code"] = code;
        entry["error"] = failure;
        spdlog::warn("twilio sandbox: SMS webhook for {}: {} {}", inbound_sid, code, failure);
        log_webhook(std::move(entry));
        return;
    }
    json replies = json::array();
    for (const ReplyMessage& reply : plan.messages) {
        const std::string to = reply.to.empty() ? phone : reply.to;
        const auto number = phone::to_e164(to);
        const std::string reply_sid = new_sid(reply.media.empty() ? "SM" : "MM");
        if (!number) {
            replies.push_back({{"to", to}, {"error_code", 21211}});
        } else if (opted_out(*number)) {
            replies.push_back({{"to", *number}, {"error_code", 21610}});
        } else {
            std::vector<MediaRef> media;
            for (const std::string& url : reply.media) media.push_back({"", url});
            to_phone(*number, reply.body, reply_sid, std::move(media));
            replies.push_back({{"to", *number}, {"message_sid", reply_sid}});
        }
    }
    entry["replies"] = replies;
    if (!plan.ignored.empty()) entry["ignored"] = plan.ignored;
    log_webhook(std::move(entry));
}

void TwilioSandbox::get_phone(const httplib::Request& request, httplib::Response& response) {
    const auto number = phone::to_e164(request.matches[1].str());
    if (!number) return reply_error(response, 400, "no phone number");
    reply_json(response, 200, dump_json(phones_.phone(*number, opted_out(*number))));
}

}  // namespace sb::sandbox::twilio
