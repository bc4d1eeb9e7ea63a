#pragma once
// POST /contact/ as one decision, apart from HTTP: the request's parts, the guards' state (the
// rate limiter and the CSRF tokens, both in memory, the clock passed in), the settings and the
// time in; a typed answer out. The checks run in this order and the first that fails decides:
// the body (within the cap, readable), the client's rate limit, the media type, the encoding,
// the CSRF token, the honeypot, the fields. The HTTP shell (web_routes) only reads the body,
// calls decide_contact_post, publishes what it accepts and sends the answer.
#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "csrf.h"
#include "moment.h"
#include "pages.h"
#include "rate_limiter.h"
#include "settings.h"
#include "switchboard/events.h"

namespace sb::web {

// How reading the body went: over INGRESS_MAX_BODY_BYTES, or cut off (the client went away).
enum class BodyRead { complete, over_cap, unreadable };

// What the decision reads from the request.
struct ContactPost {
    // The client's address (client_address.h: the TCP peer, or what a trusted proxy forwarded):
    // the rate limit's key (rate_limit_key), named in the log.
    std::string client;
    std::string content_type;  // the Content-Type header as sent
    BodyRead read = BodyRead::complete;
    std::string body;  // as sent, when read == complete
};

// The state the decision checks against and updates: a rate token is taken, a CSRF token spent.
struct ContactGuards {
    RateLimiter& limiter;
    CsrfTokens& csrf;
};

// A short page for a refused request (400, 413, 415, 429). Nothing is published.
struct ProblemAnswer {
    int status = 400;
    std::string reason;  // the label of ingress_submissions_rejected_total
    std::string title;
    std::string detail;
    std::chrono::seconds retry_after{0};  // sent as Retry-After when positive
    std::string warning;                  // logged when not empty
};

// The form again (403, 422, 503): the input kept, a fresh token, the errors or a notice.
// Nothing is published.
struct FormAnswer {
    int status = 422;
    std::string reason;
    FormView view;
    std::string warning;
};

// A filled honeypot: answered like success (303 to the thanks page), so a bot learns nothing;
// nothing is published. Counted as reason "honeypot".
struct DecoyAnswer {
    std::string warning;
};

// A valid submission: publish `message` durably, then 303 to the thanks page. `input` is kept
// for the form again should publishing fail (see contact_publish_failed).
struct AcceptedContact {
    CustomerMessage message;
    ContactInput input;
};

using ContactOutcome = std::variant<ProblemAnswer, FormAnswer, DecoyAnswer, AcceptedContact>;

ContactOutcome decide_contact_post(const ContactPost& post, const Settings& settings,
                                   ContactGuards guards, const Moment& now);

// The answer when an accepted submission could not be published: the form again (503).
FormAnswer contact_publish_failed(const AcceptedContact& accepted, CsrfTokens& csrf,
                                  const Moment& now);

// The page for a body over the cap, the same whether ingress-web or the HTTP library found it.
ProblemAnswer too_large_problem();

}  // namespace sb::web
