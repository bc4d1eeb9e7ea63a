#pragma once
// Open-loop HTTP load: requests leave on a fixed schedule (rate per second) over a few
// keep-alive connections, whatever the server's pace, so a slow server shows up as latency and
// backlog rather than as a politely lower offered rate. A connection that falls behind its
// schedule sends back to back (the offered rate it reached is reported).
#include <string>
#include <utility>
#include <vector>

namespace sb::bench {

struct Request {
    std::string path;
    std::string body;  // POSTed
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;  // e.g. X-Twilio-Signature
};

struct Sent {
    long long start_us = 0;  // wall clock when the POST started
    double answer_ms = 0;    // until the answer was read
    int status = 0;          // 0: no answer
};

struct LoadResult {
    std::vector<Sent> sent;  // in the order of `requests`
    double seconds = 0;      // first send to last answer
    double offered_per_second = 0;
    int failures = 0;  // no answer or not 2xx
};

// rate <= 0: as fast as the connections allow (closed loop).
LoadResult run_paced(int port, const std::vector<Request>& requests, double rate, int connections);

}  // namespace sb::bench
