#include "webhook.h"

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>

#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"
#include "transfer_result.h"
#include "translate.h"
#include "tropo_verbs.h"

namespace sb::tropo_gateway {
namespace {

constexpr const char* kSource = "tropo-gateway";

void reply_tropo(httplib::Response& response, const std::string& answer) {
    reply_json(response, 200, answer);
}

// Answers with `answer` and calls `written(true)` once it has been written to Tropo's connection
// — or `written(false)` when it could not be. cpp-httplib reports that through a content
// provider's releaser, run when the response is done with.
void reply_tropo_then(httplib::Response& response, const std::string& answer,
                      std::function<void(bool)> written) {
    auto body = std::make_shared<const std::string>(answer);
    response.status = 200;
    response.set_content_provider(
        body->size(), "application/json",
        [body](size_t offset, size_t length, httplib::DataSink& sink) {
            return sink.write(body->data() + offset, length);
        },
        std::move(written));
}

}  // namespace

Webhook::Webhook(const GatewayConfig& config, delivery::Node& node, Metrics& metrics,
                 LaunchConfirmations& confirmations)
    : config_(config), node_(node), metrics_(metrics), confirmations_(confirmations) {}

void Webhook::register_routes(httplib::Server& server) {
    server.Post(kWebhookPath, [this](const httplib::Request& request, httplib::Response& response) {
        handle(request, response);
    });
    // The lab's URL without its trailing slash is the same endpoint.
    server.Post("/api/tropo-webhook",
                [this](const httplib::Request& request, httplib::Response& response) {
                    handle(request, response);
                });
}

void Webhook::count(const std::string& kind) {
    metrics_.counter("tropo_webhooks_total", "Tropo sessions received, by kind", {{"kind", kind}})
        .add();
}

void Webhook::rejected(httplib::Response& response, int status, const std::string& code,
                       const std::string& reason) {
    count("rejected");
    metrics_
        .counter("tropo_webhook_rejections_total", "Tropo sessions refused, by reason",
                 {{"reason", code}})
        .add();
    spdlog::warn("webhook: refused ({}): {}", code, reason);
    reply_error(response, status, reason);
}

void Webhook::handle(const httplib::Request& request, httplib::Response& response) {
    if (!config_.webhook_token.empty() &&
        !same_secret(request.get_param_value("token"), config_.webhook_token)) {
        rejected(response, 403, "bad_token", "missing or wrong webhook token");
        return;
    }
    if (request.body.size() > kMaxSessionBytes) {
        rejected(response, 413, "oversized", "a Tropo session is at most 64 KiB");
        return;
    }
    if (request.has_param(result_param::event)) {
        answer_transfer_result(request, response);  // our own `next` URL: a result, no session
        return;
    }
    const SessionParse parsed = parse_session(request.body);
    if (!parsed) {
        rejected(response, 400, parsed.code, parsed.reason);
        return;
    }
    const InboundSession& session = *parsed.session;
    if (session.kind == SessionKind::token_launch &&
        session.parameters.count(parameter::send_id) > 0) {
        // One of our SMS segments: told apart by its sendId, not its session id. A segment
        // launched twice comes as two sessions, and a retry of a session whose answer could not
        // be written must get the SMS again.
        answer_launch(session, response);
        return;
    }

    const RecentSessions::Claim claim = recent_.claim(session.session_id);
    if (claim.seen != RecentSessions::Seen::first) {
        // A Tropo retry: the same answer, nothing published or sent again.
        metrics_.counter("tropo_duplicate_sessions_total", "Tropo sessions seen again").add();
        spdlog::info("webhook: session {} seen again ({})", session.session_id,
                     kind_name(session.kind));
        if (claim.seen == RecentSessions::Seen::answered) {
            reply_tropo(response, claim.answer);
        } else if (session.kind == SessionKind::call) {
            reply_tropo(response, route_call(session, std::nullopt, config_.redirect_dn,
                                             transfer_events(session))
                                      .answer);
        } else {
            reply_tropo(response, hangup_answer());
        }
        return;
    }
    switch (session.kind) {
        case SessionKind::sms:
            answer_sms(session, response);
            break;
        case SessionKind::call:
            answer_call(session, response);
            break;
        case SessionKind::token_launch:
            answer_launch(session, response);
            break;
    }
}

void Webhook::answer_sms(const InboundSession& session, httplib::Response& response) {
    const CustomerMessage message = sms_message(session, iso8601_now());
    Envelope event = make_event(event_type::customer_message, kSource, message.customer, message);
    event = stamp(std::move(event));
    try {
        node_.publish(topics::customer_messages, event);  // durable before Tropo hears "OK"
    } catch (const std::exception& error) {
        recent_.release(session.session_id);
        spdlog::error("webhook: could not publish SMS of session {}: {}", session.session_id,
                      error.what());
        reply_error(response, 503, "could not store the message; retry later");
        return;
    }
    count("sms");
    spdlog::info("webhook: SMS session {} -> {}", session.session_id,
                 logging::event_fields(topics::customer_messages, event));
    const std::string answer = hangup_answer();
    recent_.answered(session.session_id, answer);
    reply_tropo(response, answer);
}

void Webhook::answer_call(const InboundSession& session, httplib::Response& response) {
    count("call");
    std::optional<std::string> decision;
    if (session.from) {
        const CustomerMessage message =
            call_message(session, topics::replies_for(node_.instance()), iso8601_now());
        Envelope event =
            stamp(make_event(event_type::customer_message, kSource, message.customer, message));
        decisions_.expect(session.call_id);
        try {
            node_.publish(topics::customer_messages, event);
            spdlog::info("webhook: call {} -> {}", session.call_id,
                         logging::event_fields(topics::customer_messages, event));
            decision = decisions_.wait(session.call_id, config_.call_decision_timeout);
        } catch (const std::exception& error) {
            // The caller is on the line: forward anyway, even if the call cannot be noted.
            decisions_.wait(session.call_id, std::chrono::milliseconds(0));
            spdlog::error("webhook: could not publish call {}: {}", session.call_id, error.what());
        }
    } else {
        spdlog::info("webhook: call {} from a blocked or unknown number: forwarded, not noted",
                     session.call_id);
    }
    const CallRoute route =
        route_call(session, decision, config_.redirect_dn, transfer_events(session));
    metrics_
        .counter("tropo_calls_forwarded_total", "Calls forwarded, by who chose the number",
                 {{"by", route.decided ? "decision" : "fallback"}})
        .add();
    spdlog::info("webhook: call {} transferred to {} ({})", session.call_id, route.forward_to,
                 route.decided ? "router's decision" : "fallback");
    recent_.answered(session.session_id, route.answer);
    reply_tropo(response, route.answer);
}

void Webhook::answer_launch(const InboundSession& session, httplib::Response& response) {
    const auto send_id = session.parameters.find(parameter::send_id);
    const bool ours = send_id != session.parameters.end();
    const LaunchAnswer launch = answer_token_launch(session, config_.tropo_key);
    if (launch.status != 200) {
        if (!ours) recent_.release(session.session_id);
        rejected(response, launch.status, launch.code, launch.reason);
        return;
    }
    count("token_launch");
    if (ours) {
        answer_segment(send_id->second, launch.answer, launch.to, session, response);
        return;
    }
    spdlog::info("webhook: token-launched session {} sends an SMS to {}", session.session_id,
                 launch.to);
    recent_.answered(session.session_id, launch.answer);
    reply_tropo(response, launch.answer);
}

void Webhook::answer_segment(const std::string& send_id, const std::string& answer,
                             const std::string& to, const InboundSession& session,
                             httplib::Response& response) {
    if (!confirmations_.claim(send_id)) {
        // The segment was launched more than once and another of its sessions sent it.
        metrics_
            .counter("tropo_duplicate_launches_total",
                     "Launched sessions for an SMS segment already sent: answered with nothing")
            .add();
        spdlog::info("webhook: token-launched session {} is for SMS {}, already sent: hung up",
                     session.session_id, send_id);
        reply_tropo(response, hangup_answer());
        return;
    }
    spdlog::info("webhook: token-launched session {} sends SMS {} to {}", session.session_id,
                 send_id, to);
    // Confirmed to the sender only once written: a gateway killed before that has not sent it.
    reply_tropo_then(response, answer,
                     [this, send_id](bool written) { confirmations_.answered(send_id, written); });
}

TransferEvents Webhook::transfer_events(const InboundSession& session) const {
    if (!session.from) return {};  // a withheld number: nobody to note the outcome for
    return {result_reference("incomplete", session.call_id, *session.from, config_.tropo_key,
                             config_.webhook_token),
            result_reference("continue", session.call_id, *session.from, config_.tropo_key,
                             config_.webhook_token)};
}

void Webhook::answer_transfer_result(const httplib::Request& request, httplib::Response& response) {
    const ResultParams params{
        request.get_param_value(result_param::event), request.get_param_value(result_param::call),
        request.get_param_value(result_param::from), request.get_param_value(result_param::sig)};
    const TransferParse parsed = parse_transfer_result(params, request.body, config_.tropo_key);
    if (!parsed) {
        rejected(response, parsed.status, parsed.code, parsed.reason);
        return;
    }
    const TransferOutcome& outcome = *parsed.outcome;
    // Tropo retries a post it got no answer to: the same result is noted once.
    const std::string key = "transfer-result:" + outcome.call_id;
    const RecentSessions::Claim claim = recent_.claim(key);
    if (claim.seen != RecentSessions::Seen::first) {
        metrics_.counter("tropo_duplicate_sessions_total", "Tropo sessions seen again").add();
        spdlog::info("webhook: transfer result of call {} seen again", outcome.call_id);
        reply_tropo(response, hangup_answer());
        return;
    }
    const CustomerMessage message = transfer_message(outcome, iso8601_now());
    Envelope event =
        stamp(make_event(event_type::customer_message, kSource, message.customer, message));
    try {
        node_.publish(topics::customer_messages, event);  // durable before Tropo hears "OK"
    } catch (const std::exception& error) {
        recent_.release(key);
        spdlog::error("webhook: could not publish the transfer result of call {}: {}",
                      outcome.call_id, error.what());
        reply_error(response, 503, "could not store the result; retry later");
        return;
    }
    count("transfer_result");
    metrics_
        .counter("tropo_transfers_total", "Forwarded calls by how they ended",
                 {{"outcome", outcome.outcome}})
        .add();
    spdlog::info("webhook: call {} {} ({}) -> {}", outcome.call_id, outcome.outcome, outcome.detail,
                 logging::event_fields(topics::customer_messages, event));
    const std::string answer = hangup_answer();  // the caller is told by SMS, not kept waiting
    recent_.answered(key, answer);
    reply_tropo(response, answer);
}

void Webhook::on_reply(const Envelope& reply) {
    decisions_.deliver_reply(reply);
}

}  // namespace sb::tropo_gateway
