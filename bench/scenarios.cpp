#include "scenarios.h"

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "process.h"
#include "switchboard/ids.h"
#include "switchboard/time_format.h"
#include "tropo/session_json.h"
#include "twilio/form.h"
#include "twilio/signature.h"

namespace sb::bench {

using namespace std::chrono_literals;

namespace {

// Tags are alphanumeric so that no markdown escaping or SMS conversion can alter them.
std::string tag(int id) {
    return "zz" + std::to_string(id) + "zz";
}

std::vector<int> tags_in(const std::string& text) {
    static const std::regex pattern("zz([0-9]+)zz");
    std::vector<int> ids;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
         it != std::sregex_iterator(); ++it) {
        ids.push_back(std::stoi((*it)[1].str()));
    }
    return ids;
}

// What the carrier posts to its gateway for one inbound SMS: Tropo's session JSON, or Twilio's
// signed form (the parameters a real inbound SMS carries, signed for the gateway's own URL).
Request inbound_request(const Pipeline& pipeline, const std::string& from, int id) {
    const std::string text = "Hi, is my order 4417 ready for pick-up? " + tag(id);
    const testing::DemoSettings& demo = testing::demo();
    if (pipeline.carrier() == testing::Carrier::twilio) {
        const std::string path = testing::sms_webhook_path(testing::Carrier::twilio);
        const std::string sid = "SM" + new_id();
        const sandbox::twilio::Params params = {{"ToCountry", "US"},
                                                {"SmsMessageSid", sid},
                                                {"NumMedia", "0"},
                                                {"SmsSid", sid},
                                                {"SmsStatus", "received"},
                                                {"Body", text},
                                                {"To", demo.twilio_from_number},
                                                {"NumSegments", "1"},
                                                {"MessageSid", sid},
                                                {"AccountSid", demo.twilio_account_sid},
                                                {"From", from},
                                                {"ApiVersion", "2010-04-01"}};
        const std::string signature = sandbox::twilio::twilio_signature(
            demo.twilio_auth_token, pipeline.url(pipeline.gateway()) + path, params);
        return {path,
                sandbox::twilio::encode_form(params),
                "application/x-www-form-urlencoded",
                {{"X-Twilio-Signature", signature}}};
    }
    const sandbox::tropo::SessionIds ids{new_id(), new_id(), iso8601_now()};
    const json session =
        sandbox::tropo::inbound_sms_session({from, demo.company_number, text}, ids);
    return {testing::sms_webhook_path(testing::Carrier::tropo), session.dump()};
}

std::string phones_path(const Pipeline& pipeline) {
    return "/sandbox/" + testing::carrier_name(pipeline.carrier()) + "/phones/";
}

// POSTs one request as the load generator would, waiting for the answer.
void send_once(int port, const Request& request) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(30, 0);
    const httplib::Headers headers(request.headers.begin(), request.headers.end());
    client.Post(request.path.c_str(), headers, request.body, request.content_type.c_str());
}

Request reply_request(const std::string& room_id, int id) {
    const json body = {{"as", kAgentEmail},
                       {"text", "Yes, it is ready: **counter 3**, open until 6 pm. " + tag(id)}};
    return {"/sandbox/spark/rooms/" + room_id + "/messages", body.dump()};
}

double webex_posts(const Counters& counters) {
    const auto found = counters.webex.find("POST messages");
    return found == counters.webex.end() ? 0 : found->second;
}

bool wait_for(const std::function<bool()>& condition, double seconds) {
    return testing::wait_until(condition,
                               std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
}

std::map<std::string, ProcessUsage> usage_all(const Pipeline& pipeline) {
    std::map<std::string, ProcessUsage> usage;
    for (const std::string& service : pipeline.services()) {
        usage[service] = usage_of(pipeline.pid(service));
    }
    usage["bench (load generator)"] = usage_of(::getpid());
    return usage;
}

std::map<std::string, double> cpu_per_message(const std::map<std::string, ProcessUsage>& before,
                                              const std::map<std::string, ProcessUsage>& after,
                                              int messages) {
    std::map<std::string, double> per_message;
    double total = 0;
    for (const auto& [name, usage] : after) {
        const double us =
            (usage.cpu_seconds - before.at(name).cpu_seconds) * 1e6 / std::max(1, messages);
        per_message[name] = us;
        total += us;
    }
    per_message["total"] = total;
    return per_message;
}

// Matches each tagged effect with its first request: latency, duplicates, delivery rate.
void score(StepResult& step, const StepPlan& plan, const LoadResult& load,
           const std::vector<std::pair<int, long long>>& effects /* tag id, when (us) */) {
    std::vector<double> latencies;
    std::set<int> seen;
    long long first_start = load.sent.empty() ? 0 : load.sent.front().start_us;
    for (const Sent& sent : load.sent) first_start = std::min(first_start, sent.start_us);
    long long last_effect = first_start;
    for (const auto& [id, when] : effects) {
        const int index = id - plan.first_id;
        if (index < 0 || index >= static_cast<int>(load.sent.size())) continue;
        if (!seen.insert(id).second) {
            ++step.duplicates;
            continue;
        }
        latencies.push_back(
            static_cast<double>(when - load.sent[static_cast<size_t>(index)].start_us) / 1000.0);
        last_effect = std::max(last_effect, when);
    }
    step.delivered = static_cast<int>(seen.size());
    const double span = static_cast<double>(last_effect - first_start) / 1e6;
    step.delivered_per_second = span > 0 ? step.delivered / span : 0;
    step.latency = summarize(std::move(latencies));
    std::vector<double> answers;
    for (const Sent& sent : load.sent) answers.push_back(sent.answer_ms);
    step.answer = summarize(std::move(answers));
}

}  // namespace

Counters read_counters(const Pipeline& pipeline) {
    Counters counters;
    const HttpAnswer spark = http_get(pipeline.port("sandbox"), "/sandbox/spark/stats");
    const bool twilio = pipeline.carrier() == testing::Carrier::twilio;
    const HttpAnswer carrier = http_get(pipeline.port("sandbox"),
                                        twilio ? "/sandbox/twilio/stats" : "/sandbox/tropo/stats");
    if (spark.status != 200 || carrier.status != 200 || !spark.body.is_object() ||
        !carrier.body.is_object()) {
        throw std::runtime_error("the sandbox's stats did not answer");
    }
    const json& calls = member_of(spark.body, "calls");
    if (calls.is_object()) {
        for (auto it = calls.begin(); it != calls.end(); ++it) {
            counters.webex[it.key()] = it->is_number() ? it->get<double>() : 0.0;
        }
    }
    counters.webex_total = number_of(spark.body, "total");
    counters.webex_webhooks = number_of(member_of(spark.body, "webhook_deliveries"), "delivered");
    if (twilio) {
        counters.carrier_api = number_of(member_of(carrier.body, "rest"), "calls");
        counters.carrier_posts = number_of(member_of(carrier.body, "webhooks"), "sent") +
                                 number_of(member_of(carrier.body, "status_callbacks"), "sent");
        counters.sms_delivered = number_of(carrier.body, "sms_to_phones");
    } else {
        counters.carrier_api = number_of(member_of(carrier.body, "session_api"), "calls");
        counters.carrier_posts = number_of(carrier.body, "sessions_posted");
        counters.sms_delivered = number_of(carrier.body, "sms_delivered");
    }
    return counters;
}

void settle(const Pipeline& pipeline) {
    const auto signature = [](const Counters& c) {
        return std::vector<double>{c.webex_total, c.webex_webhooks, c.carrier_api, c.carrier_posts,
                                   c.sms_delivered};
    };
    auto last = signature(read_counters(pipeline));
    int quiet = 0;
    for (int poll = 0; poll < 100 && quiet < 3; ++poll) {
        std::this_thread::sleep_for(100ms);
        const auto now = signature(read_counters(pipeline));
        quiet = now == last ? quiet + 1 : 0;
        last = now;
    }
}

json CallsPerMessage::to_json() const {
    return {{"kind", kind},
            {"messages", messages},
            {"webex_calls_by_endpoint", webex},
            {"webex_calls", webex_total},
            {"webex_webhook_deliveries", webex_webhooks},
            {"carrier_api_calls", carrier_api},
            {"carrier_posts_to_gateway", carrier_posts},
            {"http_exchanges_E", exchanges}};
}

CallsPerMessage measure_calls(const Pipeline& pipeline, Flow flow, int messages, int first_id) {
    settle(pipeline);
    const Counters before = read_counters(pipeline);
    const int gateway = pipeline.port(pipeline.gateway());
    const int sandbox = pipeline.port("sandbox");
    const auto& known = pipeline.customers();
    for (int i = 0; i < messages; ++i) {
        const int id = first_id + i;
        if (flow == Flow::agent_reply) {
            const Request request =
                reply_request(pipeline.room_of(known[static_cast<size_t>(i) % known.size()]), id);
            http_send(sandbox, "POST", request.path, json::parse(request.body));
            wait_for(
                [&] {
                    return read_counters(pipeline).sms_delivered >= before.sms_delivered + i + 1;
                },
                10);
            continue;
        }
        const std::string from = flow == Flow::inbound_known
                                     ? known[static_cast<size_t>(i) % known.size()]
                                     : customer_number(1, first_id % 5000 + i);
        send_once(gateway, inbound_request(pipeline, from, id));
        wait_for(
            [&] {
                const Counters now = read_counters(pipeline);
                return webex_posts(now) >= webex_posts(before) + i + 1 &&
                       (flow == Flow::inbound_known ||
                        now.sms_delivered >= before.sms_delivered + i + 1);
            },
            10);
    }
    settle(pipeline);
    const Counters after = read_counters(pipeline);
    CallsPerMessage calls;
    calls.kind = flow == Flow::inbound_known ? "inbound SMS, known customer"
                 : flow == Flow::inbound_new ? "inbound SMS, new customer"
                                             : "agent reply -> SMS";
    calls.messages = messages;
    const double n = messages;
    for (const auto& [endpoint, count] : after.webex) {
        const double delta = count - (before.webex.count(endpoint) ? before.webex.at(endpoint) : 0);
        if (delta > 0) calls.webex[endpoint] = delta / n;
    }
    calls.webex_total = (after.webex_total - before.webex_total) / n;
    calls.webex_webhooks = (after.webex_webhooks - before.webex_webhooks) / n;
    calls.carrier_api = (after.carrier_api - before.carrier_api) / n;
    calls.carrier_posts = (after.carrier_posts - before.carrier_posts) / n;
    // The request that starts the message (the carrier's webhook, or the agent's post) + the
    // rest. Twilio's inbound webhook is counted in carrier_posts when the sandbox sent it; the
    // benchmark posts its own, so 1 stands for it either way.
    calls.exchanges =
        1 + calls.webex_total + calls.webex_webhooks + calls.carrier_api + calls.carrier_posts;
    return calls;
}

json StepResult::to_json() const {
    return {{"flow", flow},
            {"rate_asked", rate},
            {"rate_offered", offered},
            {"sent", sent},
            {"delivered", delivered},
            {"duplicates", duplicates},
            {"http_failures", failures},
            {"drained", drained},
            {"delivered_per_second", delivered_per_second},
            {"latency", latency.to_json()},
            {"first_request_round_trip", answer.to_json()},
            {"cpu_us_per_message", cpu_us_per_message}};
}

StepResult inbound_step(const Pipeline& pipeline, const StepPlan& plan) {
    const int count = std::max(1, static_cast<int>(plan.rate * plan.seconds));
    std::vector<Request> requests;
    std::set<std::string> rooms;
    for (int i = 0; i < count; ++i) {
        const std::string& from = plan.customers[static_cast<size_t>(i) % plan.customers.size()];
        requests.push_back(inbound_request(pipeline, from, plan.first_id + i));
        rooms.insert(pipeline.room_of(from));
    }
    const Counters before = read_counters(pipeline);
    const auto usage_before = usage_all(pipeline);
    const LoadResult load =
        run_paced(pipeline.port(pipeline.gateway()), requests, plan.rate, plan.connections);
    StepResult step;
    step.flow = "inbound SMS -> room";
    step.rate = plan.rate;
    step.offered = load.offered_per_second;
    step.sent = count;
    step.failures = load.failures;
    step.drained = wait_for(
        [&] {
            return webex_posts(read_counters(pipeline)) >=
                   webex_posts(before) + count - load.failures;
        },
        plan.drain_seconds);
    step.cpu_us_per_message = cpu_per_message(usage_before, usage_all(pipeline), count);

    std::vector<std::pair<int, long long>> effects;
    for (const std::string& room : rooms) {
        const HttpAnswer history =
            http_get(pipeline.port("sandbox"), "/sandbox/spark/rooms/" + room + "/messages");
        const json& items = member_of(history.body, "items");
        if (!items.is_array()) continue;
        for (const json& item : items) {
            // The sandbox's arrival time, not `created`: that one is kept strictly increasing at
            // millisecond resolution and so runs ahead of the clock past 1,000 posts a second.
            const json& arrived = member_of(item, "arrivedMicros");
            const std::optional<long long> when =
                arrived.is_number_integer() ? std::optional<long long>(arrived.get<long long>())
                                            : iso_to_us(string_of(item, "created"));
            if (!when) continue;
            const std::string text = string_of(item, "text");
            for (int id : tags_in(text.empty() ? string_of(item, "markdown") : text)) {
                effects.emplace_back(id, *when);
            }
        }
    }
    score(step, plan, load, effects);
    return step;
}

StepResult reply_step(const Pipeline& pipeline, const StepPlan& plan) {
    const int count = std::max(1, static_cast<int>(plan.rate * plan.seconds));
    std::vector<Request> requests;
    std::set<std::string> phones;
    for (int i = 0; i < count; ++i) {
        const std::string& customer =
            plan.customers[static_cast<size_t>(i) % plan.customers.size()];
        requests.push_back(reply_request(pipeline.room_of(customer), plan.first_id + i));
        phones.insert(customer);
    }
    const Counters before = read_counters(pipeline);
    const auto usage_before = usage_all(pipeline);
    const LoadResult load =
        run_paced(pipeline.port("sandbox"), requests, plan.rate, plan.connections);
    StepResult step;
    step.flow = "agent reply -> SMS";
    step.rate = plan.rate;
    step.offered = load.offered_per_second;
    step.sent = count;
    step.failures = load.failures;
    step.drained = wait_for(
        [&] {
            return read_counters(pipeline).sms_delivered >=
                   before.sms_delivered + count - load.failures;
        },
        plan.drain_seconds);
    step.cpu_us_per_message = cpu_per_message(usage_before, usage_all(pipeline), count);

    std::vector<std::pair<int, long long>> effects;
    for (const std::string& phone : phones) {
        const HttpAnswer record =
            http_get(pipeline.port("sandbox"), phones_path(pipeline) + path_number(phone));
        const json& inbox = member_of(record.body, "inbox");
        if (!inbox.is_array()) continue;
        for (const json& item : inbox) {
            const auto when = iso_to_us(string_of(item, "at"));
            if (!when) continue;
            for (int id : tags_in(string_of(item, "text"))) effects.emplace_back(id, *when);
        }
    }
    score(step, plan, load, effects);
    return step;
}

}  // namespace sb::bench
