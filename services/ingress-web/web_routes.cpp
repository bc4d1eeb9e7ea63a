#include "web_routes.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api_request.h"
#include "bearer.h"
#include "capped_body.h"
#include "contact_form.h"
#include "favicon.h"
#include "form_decoding.h"
#include "pages.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"

namespace sb::web {
namespace {

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(text[i]) != lower(prefix[i])) return false;
    }
    return true;
}

bool is_api_path(const std::string& path) {
    return path.rfind("/api/", 0) == 0;
}

std::string csrf_notice(CsrfCheck check) {
    switch (check) {
        case CsrfCheck::expired:
            return "This form was open for a long time and expired, so we did not send it. "
                   "Please check your details and press Send message again.";
        case CsrfCheck::replayed:
            return "This form was already sent once, so we did not send it again. To send "
                   "another message, press Send message.";
        default:
            return "We could not confirm that this form came from our site, so we did not "
                   "send it. Please press Send message again.";
    }
}

// Pages carry a single-use token, so none may be cached; and nothing on them loads from
// anywhere else, which the CSP states.
void set_page_headers(httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "same-origin");
    response.set_header("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
}

// The icon is the same for everyone and changes only with a release: a day of caching spares a
// request per page. The SVG holds no script, and its own CSP keeps it that way if opened directly.
void send_favicon(httplib::Response& response) {
    response.set_header("Cache-Control", "public, max-age=86400");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Content-Security-Policy", "default-src 'none'");
    response.set_content(std::string(kFaviconSvg), "image/svg+xml");
}

}  // namespace

IngressWeb::IngressWeb(Settings settings, Metrics& metrics, delivery::Node& node,
                       std::string source)
    : settings_(std::move(settings)),
      metrics_(metrics),
      node_(node),
      source_(std::move(source)),
      csrf_(settings_.csrf_secret, settings_.csrf_lifetime),
      limiter_(settings_.rate_burst,
               std::chrono::duration_cast<std::chrono::milliseconds>(settings_.rate_refill)) {
    // Zero-valued series up front, so a dashboard sees them before the first submission.
    accepted_counter("web");
    accepted_counter("api");
}

Counter& IngressWeb::accepted_counter(const std::string& channel) {
    return metrics_.counter("ingress_submissions_accepted_total",
                            "Submissions published as CustomerMessage, by channel",
                            {{"channel", channel}});
}

void IngressWeb::accepted(const std::string& channel) {
    accepted_counter(channel).add();
}

void IngressWeb::rejected(const std::string& channel, std::string_view reason) {
    metrics_
        .counter("ingress_submissions_rejected_total",
                 "Submissions refused (nothing published), by channel and reason",
                 {{"channel", channel}, {"reason", std::string(reason)}})
        .add();
}

void IngressWeb::register_routes(httplib::Server& server) {
    using httplib::Request;
    using httplib::Response;
    server.Get(path::home, [this](const Request& q, Response& r) { home(q, r); });
    server.Get(path::contact, [this](const Request& q, Response& r) { contact_page(q, r); });
    server.Post(path::contact,
                [this](const Request& q, Response& r, const httplib::ContentReader& reader) {
                    contact_submit(q, r, reader);
                });
    server.Get("/contact", [](const Request&, Response& r) { r.set_redirect(path::contact, 301); });
    server.Get(path::thanks, [this](const Request& q, Response& r) { thanks_page(q, r); });
    server.Post(path::api, [this](const Request& q, Response& r) { api_post(q, r); });
    server.Get(path::favicon, [](const Request&, Response& r) { send_favicon(r); });
    server.Get(path::favicon_legacy, [](const Request&, Response& r) { send_favicon(r); });
    server.set_error_handler([this](const Request& q, Response& r) { on_error(q, r); });
}

void IngressWeb::send_html(httplib::Response& response, int status, const std::string& html) const {
    response.status = status;
    set_page_headers(response);
    response.set_content(html, "text/html; charset=utf-8");
}

void IngressWeb::send_problem(httplib::Response& response, int status, std::string_view title,
                              std::string_view detail) const {
    send_html(response, status, render_problem(settings_.site, title, detail));
}

std::string IngressWeb::new_csrf_token() {
    return csrf_.issue(unix_now());
}

void IngressWeb::home(const httplib::Request&, httplib::Response& response) {
    send_html(response, 200, render_home(settings_.site));
}

void IngressWeb::contact_page(const httplib::Request&, httplib::Response& response) {
    FormView view;
    view.csrf_token = new_csrf_token();
    send_html(response, 200, render_contact(settings_.site, view));
}

void IngressWeb::thanks_page(const httplib::Request&, httplib::Response& response) {
    send_html(response, 200, render_thanks(settings_.site));
}

void IngressWeb::contact_submit(const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader) {
    // The whole body is read before anything is answered, whatever the answer: what is left
    // unread on a kept-alive connection would be taken for the next request.
    CappedBody body(settings_.max_body_bytes);
    const auto keep = [&body](const char* data, std::size_t size) {
        return body.append(data, size);
    };
    // A multipart body must be read with the multipart reader (the plain one has no receiver
    // for it); its parts are collected only to be refused with 415 below.
    const bool read = request.is_multipart_form_data()
                          ? reader([](const httplib::MultipartFormData&) { return true; }, keep)
                          : reader(keep);
    if (body.over_cap() || (!read && response.status == 413)) {
        response.status = 413;  // on_error counts it and answers "too long"
        return;
    }
    if (!read) {
        rejected("web", "broken_encoding");
        spdlog::warn("contact form: unreadable body from {}", request.remote_addr);
        send_problem(response, 400, "We could not read that form",
                     "Please send your message with the form on our contact page.");
        return;
    }
    submit_form(request, body.text(), response);
}

void IngressWeb::submit_form(const httplib::Request& request, const std::string& body,
                             httplib::Response& response) {
    const std::string channel = "web";
    const RateDecision rate = limiter_.take(request.remote_addr, RateLimiter::Clock::now());
    if (!rate.allowed) {
        rejected(channel, "rate_limited");
        spdlog::warn("contact form: rate limit for {}", request.remote_addr);
        response.set_header("Retry-After", std::to_string(rate.retry_after.count()));
        send_problem(response, 429, "Too many messages",
                     "You have sent several messages in a short time. Please wait a minute "
                     "and try again.");
        return;
    }
    if (!starts_with_ignoring_case(request.get_header_value("Content-Type"),
                                   "application/x-www-form-urlencoded")) {
        rejected(channel, "unsupported_media_type");
        send_problem(response, 415, "We could not read that form",
                     "Please send your message with the form on our contact page.");
        return;
    }
    const DecodedForm decoded = decode_form(body);
    if (!decoded.fields) {
        rejected(channel, "broken_encoding");
        spdlog::warn("contact form refused: {}", decoded.error);
        send_problem(response, 400, "We could not read that form",
                     "Some of the text was garbled on its way to us. Please type your message "
                     "again on our contact page.");
        return;
    }
    const FormFields& fields = *decoded.fields;
    FormView view;
    view.input = contact_input_from(fields);

    const auto token = fields.find(field::csrf);
    const CsrfCheck check =
        csrf_.consume(token == fields.end() ? std::string_view{} : token->second, unix_now());
    if (check != CsrfCheck::ok) {
        rejected(channel, to_string(check));
        spdlog::warn("contact form refused: {} from {}", to_string(check), request.remote_addr);
        view.csrf_token = new_csrf_token();
        view.notice = check == CsrfCheck::busy
                          ? "We are very busy right now. Please try again in a minute."
                          : csrf_notice(check);
        send_html(response, check == CsrfCheck::busy ? 503 : 403,
                  render_contact(settings_.site, view));
        return;
    }

    const auto trap = fields.find(field::honeypot);
    if (trap != fields.end() && !trap->second.empty()) {
        // Look like success, so a bot learns nothing; publish nothing.
        rejected(channel, "honeypot");
        spdlog::warn("contact form: honeypot filled from {}", request.remote_addr);
        response.set_redirect(path::thanks, 303);
        return;
    }

    const ContactValidation validation = validate_contact(view.input);
    if (!validation.ok()) {
        rejected(channel, "invalid_input");
        view.errors = validation.errors;
        view.csrf_token = new_csrf_token();
        send_html(response, 422, render_contact(settings_.site, view));
        return;
    }

    CustomerMessage message;
    message.customer = validation.e164;
    message.channel = channel;
    message.text = validation.message;
    message.email = validation.email;
    message.name = validation.name;
    message.received_at = iso8601_now();
    std::string event_id;
    if (!publish(message, event_id)) {
        rejected(channel, "publish_failed");
        view.csrf_token = new_csrf_token();
        view.notice =
            "Sorry, we could not take your message just now. Please try again in a "
            "minute.";
        send_html(response, 503, render_contact(settings_.site, view));
        return;
    }
    accepted(channel);
    response.set_redirect(path::thanks, 303);
}

void IngressWeb::api_post(const httplib::Request& request, httplib::Response& response) {
    const std::string channel = "api";
    switch (api_access(request.get_header_value("Authorization"), settings_.api_token)) {
        case ApiAccess::allowed:
            break;
        case ApiAccess::disabled:
            // Answered like any path that does not exist: the internet learns nothing, and an
            // operator who forgot the token sees this line rather than a puzzling 401.
            rejected(channel, "api_disabled");
            spdlog::warn("api: refused from {}: the JSON API is off (INGRESS_API_TOKEN unset)",
                         request.remote_addr);
            reply_error(response, 404, "not found");
            return;
        case ApiAccess::unauthorized:
            rejected(channel, "unauthorized");
            spdlog::warn("api: missing or wrong bearer token from {}", request.remote_addr);
            response.set_header("WWW-Authenticate", "Bearer realm=\"switchboard\"");
            reply_error(response, 401, "a valid bearer token is required");
            return;
    }
    const ApiValidation validation = parse_api_message(request.body, iso8601_now());
    if (!validation.message) {
        rejected(channel, validation.reason);
        spdlog::warn("api: refused ({}) from {}", validation.reason, request.remote_addr);
        reply_error(response, 400, validation.error);
        return;
    }
    std::string event_id;
    if (!publish(*validation.message, event_id)) {
        rejected(channel, "publish_failed");
        reply_error(response, 503, "could not store the message; try again");
        return;
    }
    accepted(channel);
    reply_json(response, 202, json{{"status", "accepted"}, {"event_id", event_id}}.dump());
}

bool IngressWeb::publish(const CustomerMessage& message, std::string& event_id) {
    Envelope event =
        stamp(make_event(event_type::customer_message, source_, message.customer, message));
    event_id = event.id;
    const std::string fields = logging::event_fields(topics::customer_messages, event);
    try {
        node_.publish(topics::customer_messages, std::move(event));
    } catch (const std::exception& error) {
        spdlog::error("publish failed: {} ({})", fields, error.what());
        return false;
    }
    spdlog::info("published {} channel={}", fields, message.channel);
    return true;
}

void IngressWeb::on_error(const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    const bool api =
        is_api_path(request.path) || request.path == "/healthz" || request.path == "/metrics";
    if (response.status == 413) {
        rejected(api ? "api" : "web", "too_large");
        spdlog::warn("{} {}: body over {} bytes from {}", request.method, request.path,
                     settings_.max_body_bytes, request.remote_addr);
        if (api) {
            reply_error(response, 413, "request body too large");
        } else {
            send_problem(response, 413, "Your message is too long",
                         "Please shorten your message to 2,000 characters and send it again.");
        }
        return;
    }
    if (api) {
        reply_error(response, response.status,
                    response.status == 404 ? "not found" : "request failed");
    } else if (response.status == 404) {
        send_problem(response, 404, "Page not found",
                     "There is no page at this address. You can reach us from our contact page.");
    } else {
        send_problem(response, response.status, "Something went wrong",
                     "We could not handle that request. Please try again from our contact page.");
    }
}

}  // namespace sb::web
