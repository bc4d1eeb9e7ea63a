#include "webhook_routes.h"

#include <spdlog/spdlog.h>

#include "dial_outcome.h"
#include "media_fetch.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"
#include "twiml.h"
#include "voice.h"

namespace sb::twilio_gateway {
namespace {

constexpr const char* kSource = "twilio-gateway";

void reply_twiml(httplib::Response& response, const std::string& twiml) {
    response.status = 200;
    response.set_content(twiml, kTwimlContentType);
}

// Content-Disposition's filename: the names this gateway makes are plain ASCII already; anything
// else is dropped rather than escaped.
std::string disposition(const std::string& name) {
    std::string safe;
    for (const char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_') {
            safe += c;
        }
    }
    if (safe.empty()) safe = "attachment";
    return "attachment; filename=\"" + safe + "\"";
}

}  // namespace

WebhookRoutes::WebhookRoutes(const GatewayConfig& config, delivery::Node& node, Metrics& metrics,
                             SignedRequests& signed_requests, MediaStore& media)
    : config_(config), node_(node), metrics_(metrics), signed_(signed_requests), media_(media) {}

void WebhookRoutes::register_routes(httplib::Server& server) {
    using Handler = void (WebhookRoutes::*)(const httplib::Request&, httplib::Response&);
    const auto route = [this](Handler handler) {
        return [this, handler](const httplib::Request& request, httplib::Response& response) {
            (this->*handler)(request, response);
        };
    };
    server.Post(kSmsPath, route(&WebhookRoutes::sms));
    server.Post(kVoicePath, route(&WebhookRoutes::voice));
    server.Post(kDialPath, route(&WebhookRoutes::dial));
    server.Get(R"(/api/twilio/media/([^/]+))", route(&WebhookRoutes::media));
}

void WebhookRoutes::restore() {
    recent_.restore(node_.memory());
    const std::size_t expired = media_.sweep();
    if (expired > 0) spdlog::info("media: {} expired entries deleted", expired);
}

void WebhookRoutes::duplicate(const std::string& kind, const std::string& key,
                              httplib::Response& response) {
    metrics_
        .counter("twilio_duplicate_webhooks_total",
                 "Twilio webhooks seen again (a replay): answered, nothing published",
                 {{"kind", kind}})
        .add();
    spdlog::info("webhook {}: {} seen again: nothing published", kind, key);
    reply_twiml(response, empty_response());
}

void WebhookRoutes::publish_once(const std::string& key, const CustomerMessage& message) {
    Envelope event =
        stamp(make_event(event_type::customer_message, kSource, message.customer, message));
    delivery::Transaction transaction;
    transaction.publish(topics::customer_messages, event);
    transaction.remember(RecentMessageSids::memory_key(key));
    node_.commit(std::move(transaction));  // durable once this returns
    spdlog::info("webhook: {} -> {}", key, logging::event_fields(topics::customer_messages, event));
    if (const auto forgotten = recent_.published(key)) {
        delivery::Transaction trim;  // the oldest key, let go to keep the memory bounded
        trim.forget(*forgotten);
        node_.commit(std::move(trim));
    }
}

std::vector<Attachment> WebhookRoutes::fetch_all(const InboundSms& sms, std::size_t& missing) {
    std::vector<Attachment> attachments;
    MediaFetchOptions options;
    options.user = config_.basic_user();
    options.password = config_.basic_password();
    options.max_bytes = config_.media_max_bytes;
    // One deadline for all of a message's media: Twilio waits 15 s for the whole answer.
    options.deadline = std::chrono::steady_clock::now() + config_.media_fetch_timeout;
    for (std::size_t i = 0; i < sms.media.size(); ++i) {
        const FetchedMedia fetched = fetch_media(sms.media[i].url, options);
        metrics_
            .counter("twilio_media_fetched_total", "MMS media fetched from Twilio, by result",
                     {{"result", fetched.result}})
            .add();
        if (!fetched.ok()) {
            // The URL is Twilio's and carries no credential; it helps find the media later.
            spdlog::warn("webhook sms: media {} of {} not fetched ({}: {}): {}", i, sms.message_sid,
                         fetched.result, logging::escape(fetched.detail),
                         logging::escape(sms.media[i].url));
            ++missing;
            continue;
        }
        const std::string name = media_file_name(fetched.content_type, static_cast<int>(i));
        const std::string token = media_.put(fetched.bytes, fetched.content_type, name);
        attachments.push_back({config_.public_url(kMediaPath + token), fetched.content_type, name});
    }
    return attachments;
}

void WebhookRoutes::sms(const httplib::Request& request, httplib::Response& response) {
    const auto params = signed_.accept(request, response, "sms");
    if (!params) return;
    const SmsParse parsed = parse_inbound_sms(*params);
    if (!parsed) {
        signed_.reject(response, parsed.refusal, "sms");
        return;
    }
    const InboundSms& sms = *parsed.sms;
    const std::string key = "sms:" + sms.message_sid;
    const auto seen = recent_.claim(key);
    if (seen != RecentMessageSids::Seen::first) {
        duplicate("sms", key, response);
        return;
    }
    try {
        std::size_t missing = 0;
        std::vector<Attachment> attachments = fetch_all(sms, missing);
        CustomerMessage message = sms_message(sms, std::move(attachments), missing, iso8601_now());
        message.carrier_answers_keywords = config_.answers_keywords;  // no confirmation from us
        publish_once(key, message);
    } catch (const std::exception& error) {
        recent_.release(key);
        spdlog::error("webhook sms: could not store {}: {}", sms.message_sid, error.what());
        reply_error(response, 503, "could not store the message; retry later");
        return;
    }
    signed_.count("sms");
    reply_twiml(response, empty_response());  // the message is durable: nothing to text back
}

void WebhookRoutes::voice(const httplib::Request& request, httplib::Response& response) {
    const auto params = signed_.accept(request, response, "voice");
    if (!params) return;
    const CallParse parsed = parse_inbound_call(*params);
    if (!parsed) {
        signed_.reject(response, parsed.refusal, "voice");
        return;
    }
    const InboundCall& call = *parsed.call;
    signed_.count("voice");
    std::optional<std::string> decision;
    if (call.from) {
        const CustomerMessage message =
            call_message(call, topics::replies_for(node_.instance()), iso8601_now());
        Envelope event =
            stamp(make_event(event_type::customer_message, kSource, message.customer, message));
        decisions_.expect(call.call_sid);
        try {
            node_.publish(topics::customer_messages, event);
            spdlog::info("webhook voice: call {} -> {}", call.call_sid,
                         logging::event_fields(topics::customer_messages, event));
            decision = decisions_.wait(call.call_sid, config_.call_decision_timeout);
        } catch (const std::exception& error) {
            // The caller is on the line: forward anyway, even if the call cannot be noted.
            decisions_.wait(call.call_sid, std::chrono::milliseconds(0));
            spdlog::error("webhook voice: could not publish call {}: {}", call.call_sid,
                          error.what());
        }
    } else {
        spdlog::info(
            "webhook voice: call {} from a withheld or unknown number: forwarded, not "
            "noted",
            call.call_sid);
    }
    const CallRoute route = route_call(decision, config_.redirect_dn);
    metrics_
        .counter("twilio_calls_forwarded_total", "Calls forwarded, by who chose the number",
                 {{"by", route.decided ? "decision" : "fallback"}})
        .add();
    spdlog::info("webhook voice: call {} dialled to {} ({})", call.call_sid, route.forward_to,
                 route.decided ? "router's decision" : "fallback");
    reply_twiml(response, dial_response(route.forward_to, config_.dial_timeout_seconds,
                                        config_.public_url(kDialPath)));
}

void WebhookRoutes::dial(const httplib::Request& request, httplib::Response& response) {
    const auto params = signed_.accept(request, response, "dial");
    if (!params) return;
    const DialParse parsed = parse_dial_report(*params);
    if (!parsed) {
        signed_.reject(response, parsed.refusal, "dial");
        return;
    }
    const DialReport& report = *parsed.report;
    signed_.count("dial");
    spdlog::info("webhook dial: call {} ended {} ({})", report.call_sid, report.outcome.outcome,
                 report.outcome.detail);
    // <Response/> here ends the call: the dialled leg is over and there are no more verbs, so
    // Twilio hangs up on the caller (the text-back to a missed caller comes with the agent
    // experience issue; this is its hook).
    if (!report.from) {
        reply_twiml(response, empty_response());
        return;
    }
    const std::string key = "dial:" + report.call_sid;
    if (recent_.claim(key) != RecentMessageSids::Seen::first) {
        duplicate("dial", key, response);
        return;
    }
    try {
        publish_once(key, dial_message(report, iso8601_now()));
    } catch (const std::exception& error) {
        recent_.release(key);
        spdlog::error("webhook dial: could not store the end of call {}: {}", report.call_sid,
                      error.what());
        reply_error(response, 503, "could not store the call's outcome; retry later");
        return;
    }
    reply_twiml(response, empty_response());
}

void WebhookRoutes::media(const httplib::Request& request, httplib::Response& response) {
    const std::string token = request.matches.size() > 1 ? request.matches[1].str() : "";
    const auto held = media_.get(token);
    metrics_
        .counter("twilio_media_served_total", "Held media asked for (by Webex), by result",
                 {{"result", held ? "ok" : "not_found"}})
        .add();
    if (!held) {
        reply_error(response, 404, "no such media, or it expired");
        return;
    }
    response.status = 200;
    response.set_header("Content-Disposition", disposition(held->name));
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Cache-Control", "private, max-age=3600");
    response.set_content(held->bytes, held->content_type);
}

void WebhookRoutes::on_reply(const Envelope& reply) {
    decisions_.deliver_reply(reply);
}

}  // namespace sb::twilio_gateway
