#pragma once
// POST /api/customer_room_message_post/ as one decision, apart from HTTP: the request's parts,
// the configured token and the time in; a JSON refusal or the message to publish out. Access is
// checked before the body is read (api_access in bearer.h), then the body (parse_api_message in
// api_request.h). The HTTP shell (web_routes) publishes what is accepted and sends the answer.
#include <string>
#include <string_view>
#include <variant>

#include "moment.h"
#include "switchboard/events.h"

namespace sb::web {

// What the decision reads from the request.
struct ApiPost {
    std::string client;         // the TCP peer address, named in the log
    std::string authorization;  // the Authorization header as sent
    std::string body;
};

// {"error": ...} with `status`. Nothing is published.
struct ApiRefusal {
    int status = 400;
    std::string reason;             // the label of ingress_submissions_rejected_total
    std::string error;              // the JSON answer's "error"
    bool bearer_challenge = false;  // send WWW-Authenticate: Bearer
    std::string warning;            // logged when not empty
};

// Valid: publish `message` durably, then 202 {"status":"accepted","event_id":...}.
struct ApiAccepted {
    CustomerMessage message;
};

using ApiOutcome = std::variant<ApiRefusal, ApiAccepted>;

// `api_token` is INGRESS_API_TOKEN; empty turns the API off.
ApiOutcome decide_api_post(const ApiPost& post, std::string_view api_token, const Moment& now);

// The answer when an accepted message could not be published (503).
ApiRefusal api_publish_failed();

}  // namespace sb::web
