#pragma once
// Talking HTTP to a service on loopback, the one way every harness does it.
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace sb::testing {

// A client for 127.0.0.1:`port` that gives up rather than hangs: 2 s to connect, 10 s to read
// or write.
httplib::Client http_client(int port);

// An HTTP answer kept after its client is gone; the body parsed as JSON when it is JSON.
struct HttpAnswer {
    int status = 0;  // 0: nothing answered
    nlohmann::json body;
    httplib::Headers headers;
    std::string raw;
    std::string header(const std::string& name) const;  // case-insensitive; empty when absent
};
HttpAnswer answer_of(const httplib::Result& result);

// `method` (GET, POST, PUT, DELETE) `path` on the port, `body` sent as JSON unless null, with
// "Authorization: Bearer `token`" when a token is given.
HttpAnswer http_json(int port, const std::string& method, const std::string& path,
                     const nlohmann::json& body = nullptr, const std::string& token = "");

// The sum of the series called `name` on the port's /metrics whose labels contain `labels`
// (all of them when empty); 0 when there is none, -1 when /metrics did not answer 200.
double scrape_metric(int port, const std::string& name, const std::string& labels = "");

}  // namespace sb::testing
