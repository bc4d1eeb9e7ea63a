#include "signed_requests.h"

#include <spdlog/spdlog.h>

#include "switchboard/http_edge.h"
#include "twilio_form.h"

namespace sb::twilio_gateway {

SignedRequests::SignedRequests(const GatewayConfig& config, Metrics& metrics)
    : config_(config), metrics_(metrics) {}

std::string SignedRequests::signed_url(const httplib::Request& request) const {
    // `target` is the request line's path and query exactly as sent (percent-escapes and all),
    // which is what Twilio signed.
    return config_.public_base_url + (request.target.empty() ? request.path : request.target);
}

void SignedRequests::count(const std::string& kind) {
    metrics_.counter("twilio_webhooks_total", "Twilio webhooks taken, by kind", {{"kind", kind}})
        .add();
}

void SignedRequests::reject(httplib::Response& response, const Refusal& refusal,
                            const std::string& kind) {
    metrics_
        .counter("twilio_webhooks_rejected_total", "Twilio webhooks refused, by reason",
                 {{"reason", refusal.code}})
        .add();
    spdlog::warn("webhook {}: refused with {} ({}): {}", kind, refusal.status, refusal.code,
                 refusal.reason);
    reply_error(response, refusal.status, refusal.reason);
}

std::optional<TwilioParams> SignedRequests::accept(const httplib::Request& request,
                                                   httplib::Response& response,
                                                   const std::string& kind) {
    const std::string signature = request.get_header_value("X-Twilio-Signature");
    if (signature.empty()) {
        reject(response, {400, "missing_signature", "X-Twilio-Signature is missing"}, kind);
        return std::nullopt;
    }
    const std::string url = signed_url(request);
    const std::string content_type = request.get_header_value("Content-Type");
    if (content_type.rfind("application/json", 0) == 0) {
        if (!valid_twilio_json_signature(config_.auth_token, url, request.body, signature)) {
            reject(response, {403, "bad_signature", "X-Twilio-Signature is not Twilio's"}, kind);
            return std::nullopt;
        }
        return TwilioParams{};
    }
    ParsedForm form = parse_twilio_form(request.body);
    if (!form.params) {
        reject(response, {400, "bad_form", "the form body is malformed: " + form.error}, kind);
        return std::nullopt;
    }
    if (!valid_twilio_signature(config_.auth_token, url, *form.params, signature)) {
        // The URL goes in the log: a PUBLIC_BASE_URL that differs from the one in Twilio's
        // console is the usual cause, and the line must make that visible.
        reject(response, {403, "bad_signature", "X-Twilio-Signature is not Twilio's for " + url},
               kind);
        return std::nullopt;
    }
    if (!all_utf8(*form.params)) {
        reject(response, {400, "bad_utf8", "a parameter is not UTF-8"}, kind);
        return std::nullopt;
    }
    return std::move(*form.params);
}

}  // namespace sb::twilio_gateway
