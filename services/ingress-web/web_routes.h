#pragma once
// The HTTP shell of ingress-web: each route reads the request, hands it to a decision
// (contact_post.h, api_post.h) or a page (pages.h), publishes what the decision accepted through
// the delivery node, and sends the answer. No rule lives here that a pure function could hold.
#include <httplib.h>

#include <string>

#include "api_post.h"
#include "contact_post.h"
#include "csrf.h"
#include "rate_limiter.h"
#include "settings.h"
#include "switchboard/delivery.h"
#include "switchboard/metrics.h"

namespace sb::web {

class IngressWeb {
  public:
    // `source` names this instance in the events it publishes.
    IngressWeb(Settings settings, Metrics& metrics, delivery::Node& node, std::string source);

    // Also replaces the server's error handler, so refused browser requests get an HTML page
    // and API requests keep the JSON error shape.
    void register_routes(httplib::Server& server);

  private:
    void home(const httplib::Request& request, httplib::Response& response);
    void contact_page(const httplib::Request& request, httplib::Response& response);
    void contact_submit(const httplib::Request& request, httplib::Response& response,
                        const httplib::ContentReader& reader);
    void thanks_page(const httplib::Request& request, httplib::Response& response);
    void api_post(const httplib::Request& request, httplib::Response& response);
    void on_error(const httplib::Request& request, httplib::Response& response);

    // Reads the form's body itself (see capped_body.h), whole, whatever the answer will be.
    ContactPost read_contact_post(const httplib::Request& request, httplib::Response& response,
                                  const httplib::ContentReader& reader) const;
    // Reads the clock only once the body is in, so a slow upload does not age the decision.
    ContactOutcome decide(const ContactPost& post);
    void carry_out(httplib::Response& response, const ContactOutcome& outcome);
    void carry_out(httplib::Response& response, const ApiOutcome& outcome);
    void send(httplib::Response& response, const ProblemAnswer& answer);
    void send(httplib::Response& response, const FormAnswer& answer);
    void send(httplib::Response& response, const ApiRefusal& answer);

    void send_html(httplib::Response& response, int status, const std::string& html) const;
    void send_problem(httplib::Response& response, int status, std::string_view title,
                      std::string_view detail) const;
    // Publishes durably; false when the journal could not take it.
    bool publish(const CustomerMessage& message, std::string& event_id);
    Counter& accepted_counter(const std::string& channel);
    void accepted(const std::string& channel);
    void rejected(const std::string& channel, std::string_view reason);

    Settings settings_;
    Metrics& metrics_;
    delivery::Node& node_;
    std::string source_;
    CsrfTokens csrf_;
    RateLimiter limiter_;
};

}  // namespace sb::web
