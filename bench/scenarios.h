#pragma once
// What the benchmark does to a running Pipeline: count provider calls per kind of message, and
// run one load step (inbound SMS webhooks, or agent replies) at a fixed rate, measuring each
// message from its first HTTP request to its effect in the sandbox (a room post, an SMS).
#include <map>
#include <string>
#include <vector>

#include "bench_util.h"
#include "paced_load.h"
#include "pipeline.h"

namespace sb::bench {

// The sandbox's counters: Webex calls by endpoint, webhook deliveries, the carrier's API calls
// (Tropo's Session API, Twilio's REST API) and what the carrier posted to the gateway (Tropo's
// sessions; Twilio's webhooks and status callbacks).
struct Counters {
    std::map<std::string, double> webex;  // "POST messages" -> calls
    double webex_total = 0;
    double webex_webhooks = 0;
    double carrier_api = 0;
    double carrier_posts = 0;
    double sms_delivered = 0;
};
Counters read_counters(const Pipeline& pipeline);

// Per-message provider calls between two snapshots, and E: the HTTP exchanges one message
// needs end to end (the request that starts it + every provider call + every callback).
struct CallsPerMessage {
    std::string kind;
    int messages = 0;
    std::map<std::string, double> webex;
    double webex_total = 0, webex_webhooks = 0, carrier_api = 0, carrier_posts = 0;
    double exchanges = 0;  // E
    json to_json() const;
};

enum class Flow { inbound_known, inbound_new, agent_reply };
// `messages` messages of one kind, one after the other, each awaited, then the system let to
// settle, so every call a message causes is counted.
CallsPerMessage measure_calls(const Pipeline& pipeline, Flow flow, int messages, int first_id);

struct StepResult {
    std::string flow;
    double rate = 0;     // asked
    double offered = 0;  // reached by the load generator
    int sent = 0;
    int delivered = 0;
    int duplicates = 0;
    int failures = 0;  // HTTP errors on the first request
    double delivered_per_second = 0;
    Summary latency;                                   // first request -> effect in the sandbox
    Summary answer;                                    // the first request's own round trip
    std::map<std::string, double> cpu_us_per_message;  // by process
    bool drained = true;
    json to_json() const;
};

struct StepPlan {
    double rate = 0;
    double seconds = 0;
    int connections = 4;
    std::vector<std::string> customers;  // messages go round-robin to these
    int first_id = 0;                    // tags are unique across the run
    double drain_seconds = 20;
};
StepResult inbound_step(const Pipeline& pipeline, const StepPlan& plan);
StepResult reply_step(const Pipeline& pipeline, const StepPlan& plan);

// Waits until the sandbox's counters stop moving (bounded).
void settle(const Pipeline& pipeline);

}  // namespace sb::bench
