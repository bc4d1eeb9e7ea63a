#pragma once
// What every Webex REST rule answers: a status, a JSON body and, for a listing with more to come,
// the next page's query. Plain values, so the rules are testable without sockets.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace sb::sandbox::spark {

using json = nlohmann::json;
using Query = std::map<std::string, std::string>;

struct Reply {
    int status = 200;
    json body = json::object();
    std::string next_query;  // query string of the next page ("teamId=..&cursor=.."), or empty
};

// Webex's error body without its trackingId (the HTTP layer adds it): {message,
// errors[{description}]}.
Reply fail(int status, const std::string& message);
Reply ok(json body);
// 204, no body (DELETE).
Reply no_content();

// A query parameter's value; empty when absent.
std::string query_value(const Query& query, const std::string& name);

// Webex's error body: {message, errors[{description}], trackingId}.
json webex_error(const std::string& message, const std::string& tracking_id);

}  // namespace sb::sandbox::spark
