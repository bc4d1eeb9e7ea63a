#include "web_routes.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <variant>

#include "capped_body.h"
#include "client_address.h"
#include "pages.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/topics.h"

namespace sb::web {
namespace {

constexpr const char* kWeb = "web";
constexpr const char* kApi = "api";

template <class... Visitors>
struct Overloaded : Visitors... {
    using Visitors::operator()...;
};
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

bool is_api_path(const std::string& path) {
    return path.rfind("/api/", 0) == 0;
}

std::vector<std::string> header_values(const httplib::Request& request, const char* name) {
    std::vector<std::string> values;
    const auto [first, last] = request.headers.equal_range(name);
    for (auto it = first; it != last; ++it) values.push_back(it->second);
    return values;
}

// The peer, or the client a trusted proxy names (client_address.h).
std::string client_of(const httplib::Request& request, const TrustedProxies& trusted) {
    const ForwardingHeaders headers{header_values(request, "X-Forwarded-For"),
                                    header_values(request, "X-Real-IP")};
    return client_address(request.remote_addr, headers, trusted).address;
}

ApiPost api_post_from(const httplib::Request& request, const TrustedProxies& trusted) {
    return {client_of(request, trusted), request.get_header_value("Authorization"), request.body};
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
    response.set_content(std::string(favicon_svg()), "image/svg+xml");
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

void IngressWeb::home(const httplib::Request&, httplib::Response& response) {
    send_html(response, 200, render_home(settings_.site));
}

void IngressWeb::contact_page(const httplib::Request&, httplib::Response& response) {
    FormView view;
    view.csrf_token = csrf_.issue(Moment::now().unix_seconds());
    send_html(response, 200, render_contact(settings_.site, view));
}

void IngressWeb::thanks_page(const httplib::Request&, httplib::Response& response) {
    send_html(response, 200, render_thanks(settings_.site));
}

void IngressWeb::contact_submit(const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader) {
    carry_out(response, decide(read_contact_post(request, response, reader)));
}

void IngressWeb::api_post(const httplib::Request& request, httplib::Response& response) {
    carry_out(response, decide_api_post(api_post_from(request, settings_.trusted_proxies),
                                        settings_.api_token, Moment::now()));
}

ContactPost IngressWeb::read_contact_post(const httplib::Request& request,
                                          httplib::Response& response,
                                          const httplib::ContentReader& reader) const {
    ContactPost post;
    post.client = client_of(request, settings_.trusted_proxies);
    post.content_type = request.get_header_value("Content-Type");
    // The whole body is read before anything is answered, whatever the answer: what is left
    // unread on a kept-alive connection would be taken for the next request.
    CappedBody body(settings_.max_body_bytes);
    const auto keep = [&body](const char* data, std::size_t size) {
        return body.append(data, size);
    };
    // A multipart body must be read with the multipart reader (the plain one has no receiver
    // for it); its parts are collected only to be refused with 415.
    const bool read = request.is_multipart_form_data()
                          ? reader([](const httplib::MultipartFormData&) { return true; }, keep)
                          : reader(keep);
    if (body.over_cap() || (!read && response.status == 413)) {
        post.read = BodyRead::over_cap;
    } else if (!read) {
        post.read = BodyRead::unreadable;
    } else {
        post.body = body.text();
    }
    return post;
}

ContactOutcome IngressWeb::decide(const ContactPost& post) {
    return decide_contact_post(post, settings_, {limiter_, csrf_}, Moment::now());
}

void IngressWeb::carry_out(httplib::Response& response, const ContactOutcome& outcome) {
    std::visit(Overloaded{
                   [&](const ProblemAnswer& answer) { send(response, answer); },
                   [&](const FormAnswer& answer) { send(response, answer); },
                   [&](const DecoyAnswer& answer) {
                       rejected(kWeb, "honeypot");
                       spdlog::warn("{}", answer.warning);
                       response.set_redirect(path::thanks, 303);
                   },
                   [&](const AcceptedContact& submission) {
                       std::string event_id;
                       if (!publish(submission.message, event_id)) {
                           send(response, contact_publish_failed(submission, csrf_, Moment::now()));
                           return;
                       }
                       accepted(kWeb);
                       response.set_redirect(path::thanks, 303);
                   },
               },
               outcome);
}

void IngressWeb::carry_out(httplib::Response& response, const ApiOutcome& outcome) {
    std::visit(Overloaded{
                   [&](const ApiRefusal& refusal) { send(response, refusal); },
                   [&](const ApiAccepted& submission) {
                       std::string event_id;
                       if (!publish(submission.message, event_id)) {
                           send(response, api_publish_failed());
                           return;
                       }
                       accepted(kApi);
                       reply_json(response, 202,
                                  json{{"status", "accepted"}, {"event_id", event_id}}.dump());
                   },
               },
               outcome);
}

void IngressWeb::send(httplib::Response& response, const ProblemAnswer& answer) {
    rejected(kWeb, answer.reason);
    if (!answer.warning.empty()) spdlog::warn("{}", answer.warning);
    if (answer.retry_after.count() > 0) {
        response.set_header("Retry-After", std::to_string(answer.retry_after.count()));
    }
    send_problem(response, answer.status, answer.title, answer.detail);
}

void IngressWeb::send(httplib::Response& response, const FormAnswer& answer) {
    rejected(kWeb, answer.reason);
    if (!answer.warning.empty()) spdlog::warn("{}", answer.warning);
    send_html(response, answer.status, render_contact(settings_.site, answer.view));
}

void IngressWeb::send(httplib::Response& response, const ApiRefusal& refusal) {
    rejected(kApi, refusal.reason);
    if (!refusal.warning.empty()) spdlog::warn("{}", refusal.warning);
    if (refusal.bearer_challenge) {
        response.set_header("WWW-Authenticate", "Bearer realm=\"switchboard\"");
    }
    reply_error(response, refusal.status, refusal.error);
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
        ProblemAnswer answer = too_large_problem();
        answer.warning = request.method + " " + request.path + ": body over " +
                         std::to_string(settings_.max_body_bytes) + " bytes from " +
                         request.remote_addr;
        if (api) {
            rejected(kApi, answer.reason);
            spdlog::warn("{}", answer.warning);
            reply_error(response, 413, "request body too large");
        } else {
            send(response, answer);
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
