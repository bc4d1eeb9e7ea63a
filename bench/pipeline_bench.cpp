// The whole pipeline under a busy day's load, with this machine's own limits measured in the
// same run: inbound SMS and agent replies at increasing rates (throughput, latency from the first
// HTTP request to the effect in the sandbox), provider calls per message, peak memory, and the
// start-up sync and per-message cost with 10 and 10,000 customers. Prints a table, writes JSON.
// Usage: build/bench/pipeline_bench [--quick] [--json PATH] [--connections N]
//                                   [--customers N] [--log-level LEVEL] [--replicas]
// --replicas runs only the 1-vs-2-replica comparison (replicas.h).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "baselines.h"
#include "replicas.h"
#include "scenarios.h"
#include "switchboard/ids.h"
#include "switchboard/time_format.h"
#include "tropo/session_json.h"

using namespace sb::bench;

namespace {

struct Options {
    bool quick = false;
    std::string json_path = "pipeline-bench.json";
    int connections = 4;
    int large_customers = 10000;
    std::string log_level = "info";
    bool replicas = false;
};

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--quick")
            options.quick = true;
        else if (arg == "--json")
            options.json_path = value();
        else if (arg == "--connections")
            options.connections = std::stoi(value());
        else if (arg == "--customers")
            options.large_customers = std::stoi(value());
        else if (arg == "--log-level")
            options.log_level = value();
        else if (arg == "--replicas")
            options.replicas = true;
        else
            throw std::invalid_argument("unknown option " + arg);
    }
    return options;
}

struct Plan {
    std::vector<double> inbound_rates, reply_rates;
    double step_seconds, scale_rate, scale_seconds, drain_seconds;
    int bare_requests, pubsub_events, known_calls, new_calls, reply_calls;
};

Plan plan_for(const Options& options) {
    if (options.quick) {
        return {{100, 500, 1000, 2000}, {25, 100}, 1.5, 200, 1.5, 10, 4000, 20000, 10, 3, 5};
    }
    return {{100, 250, 500, 750, 1000, 1500, 2000, 3000},
            {10, 25, 50, 100, 200, 400, 800, 1600},
            4,
            200,
            4,
            25,
            20000,
            50000,
            20,
            5,
            10};
}

bool saturated(const StepResult& step) {
    return !step.drained || step.delivered < step.sent - step.failures ||
           step.delivered_per_second < 0.8 * step.offered || step.latency.p99 > 1000;
}

std::vector<Request> bare_requests(int count) {
    const sb::sandbox::tropo::SessionIds ids{sb::new_id(), sb::new_id(), sb::iso8601_now()};
    const std::string body = sb::sandbox::tropo::inbound_sms_session(
                                 {customer_number(0, 0), sb::testing::demo().company_number,
                                  "Hi, is my order 4417 ready? zz0zz"},
                                 ids)
                                 .dump();
    return std::vector<Request>(static_cast<size_t>(count), Request{"/api/tropo-webhook/", body});
}

json usage_json(const Pipeline& pipeline) {
    json usage = json::object();
    for (const std::string& service : pipeline.services()) {
        const ProcessUsage u = usage_of(pipeline.pid(service));
        usage[service] = {{"peak_rss_kib", u.peak_rss_kib},
                          {"rss_kib", u.rss_kib},
                          {"private_kib", u.private_kib},
                          {"pss_kib", u.pss_kib}};
    }
    return usage;
}

// `gateway`: the carrier gateway whose CPU the "gatewy" column shows.
void print_step(const StepResult& s, const std::string& gateway = "tropo-gateway") {
    const auto cpu = [&](const char* name) {
        const auto found = s.cpu_us_per_message.find(name);
        return found == s.cpu_us_per_message.end() ? 0.0 : found->second;
    };
    std::printf(
        "%7.0f %8.0f %7d %7d %9.0f %8.1f %8.1f %8.1f %8.1f %4d | %5.0f %5.0f %5.0f %5.0f "
        "%5.0f %5.0f %6.0f%s\n",
        s.rate, s.offered, s.sent, s.delivered, s.delivered_per_second, s.latency.p50,
        s.latency.p99, s.latency.max, s.answer.p99, s.duplicates, cpu(gateway.c_str()),
        cpu("router"), cpu("spark-gateway"), cpu("bus"), cpu("sandbox"),
        cpu("bench (load generator)"), cpu("total"), s.drained ? "" : "  (not drained)");
}

void print_step_header(const char* title) {
    std::printf("\n%s\n", title);
    std::printf("%7s %8s %7s %7s %9s %8s %8s %8s %8s %4s | %s\n", "rate/s", "offered", "sent",
                "deliv", "deliv/s", "p50 ms", "p99 ms", "max ms", "ans p99", "dup",
                "CPU us/msg: gatewy router spark  bus sandbx bench  total");
}

json target(const std::string& name, const std::string& wanted, double measured,
            const std::string& unit, bool met) {
    std::printf("  %-58s %-22s %10.2f %-10s %s\n", name.c_str(), wanted.c_str(), measured,
                unit.c_str(), met ? "MET" : "NOT MET");
    return {
        {"target", name}, {"wanted", wanted}, {"measured", measured}, {"unit", unit}, {"met", met}};
}

// One carrier's figures on a 10-customer pipeline: provider calls per message, and the inbound
// and reply ramps (each up to its first saturated step).
struct CarrierRun {
    std::string carrier;
    CallsPerMessage known, reply;
    std::vector<StepResult> inbound, replies;

    double best(const std::vector<StepResult>& steps) const {
        double most = 0;
        for (const StepResult& s : steps) most = std::max(most, s.delivered_per_second);
        return most;
    }
    // p99 latency of the step at `rate`, or -1 when the ramp stopped before it.
    static double p99_at(const std::vector<StepResult>& steps, double rate) {
        for (const StepResult& s : steps) {
            if (s.rate == rate) return s.latency.p99;
        }
        return -1;
    }
    json to_json() const {
        json steps_in = json::array(), steps_out = json::array();
        for (const StepResult& s : inbound) steps_in.push_back(s.to_json());
        for (const StepResult& s : replies) steps_out.push_back(s.to_json());
        return {{"carrier", carrier},
                {"calls_inbound_known", known.to_json()},
                {"calls_agent_reply", reply.to_json()},
                {"inbound_steps", steps_in},
                {"reply_steps", steps_out}};
    }
};

CarrierRun run_carrier(sb::testing::Carrier carrier, const Plan& plan, const Options& options,
                       int& next_id) {
    CarrierRun run;
    run.carrier = sb::testing::carrier_name(carrier);
    std::printf("starting the pipeline with 10 customer rooms and %s as the carrier...\n",
                run.carrier.c_str());
    Pipeline pipeline(10, options.log_level, carrier);
    std::printf("provider calls per message (%s)...\n", run.carrier.c_str());
    run.known = measure_calls(pipeline, Flow::inbound_known, plan.known_calls, next_id);
    next_id += plan.known_calls;
    run.reply = measure_calls(pipeline, Flow::agent_reply, plan.reply_calls, next_id);
    next_id += plan.reply_calls;
    for (double rate : plan.inbound_rates) {
        std::printf("inbound SMS at %.0f/s (%s)...\n", rate, run.carrier.c_str());
        run.inbound.push_back(
            inbound_step(pipeline, {rate, plan.step_seconds, options.connections,
                                    pipeline.customers(), next_id, plan.drain_seconds}));
        next_id += run.inbound.back().sent;
        settle(pipeline);
        if (saturated(run.inbound.back())) break;
    }
    for (double rate : plan.reply_rates) {
        std::printf("agent replies at %.0f/s (%s)...\n", rate, run.carrier.c_str());
        run.replies.push_back(
            reply_step(pipeline, {rate, plan.step_seconds, options.connections,
                                  pipeline.customers(), next_id, plan.drain_seconds}));
        next_id += run.replies.back().sent;
        if (saturated(run.replies.back())) break;
        settle(pipeline);
    }
    return run;
}

// The carriers' figures in two columns.
void print_carriers(const CarrierRun& tropo, const CarrierRun& twilio) {
    std::printf("\n==== Carriers side by side (10 customers) ====\n");
    std::printf("%-52s %10s %10s\n", "", "tropo", "twilio");
    const auto row = [](const char* what, double a, double b) {
        std::printf("%-52s %10.2f %10.2f\n", what, a, b);
    };
    row("carrier API calls per agent reply", tropo.reply.carrier_api, twilio.reply.carrier_api);
    row("carrier posts to the gateway per agent reply", tropo.reply.carrier_posts,
        twilio.reply.carrier_posts);
    row("Webex calls per inbound SMS, known customer", tropo.known.webex_total,
        twilio.known.webex_total);
    row("E (HTTP exchanges) per inbound SMS", tropo.known.exchanges, twilio.known.exchanges);
    row("E (HTTP exchanges) per agent reply", tropo.reply.exchanges, twilio.reply.exchanges);
    row("inbound SMS delivered/s, best step", tropo.best(tropo.inbound),
        twilio.best(twilio.inbound));
    row("inbound p99 ms at 500/s (-1: not reached)", CarrierRun::p99_at(tropo.inbound, 500),
        CarrierRun::p99_at(twilio.inbound, 500));
    row("agent replies delivered/s, best step", tropo.best(tropo.replies),
        twilio.best(twilio.replies));
    row("agent reply p99 ms at 100/s (-1: not reached)", CarrierRun::p99_at(tropo.replies, 100),
        CarrierRun::p99_at(twilio.replies, 100));
}

}  // namespace

int run_bench(int argc, char** argv) {
    Options options;
    try {
        options = parse_options(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << error.what()
                  << "\nusage: pipeline_bench [--quick] [--json PATH] "
                     "[--connections N] [--customers N] [--log-level LEVEL]\n";
        return 2;
    }
    spdlog::set_level(spdlog::level::warn);
    const Plan plan = plan_for(options);
    json report = {{"mode", options.quick ? "quick" : "default"},
                   {"connections", options.connections},
                   {"service_log_level", options.log_level},
                   {"hardware_threads", std::thread::hardware_concurrency()}};
    if (options.replicas) {
        report["replicas"] = replicas_scenario(options.quick, options.connections);
        std::ofstream(options.json_path) << report.dump(2) << "\n";
        return 0;
    }
    int next_id = 1;
    try {
        // ---- The machine's HTTP limit -----------------------------------------------------
        std::printf(
            "baseline: bare cpp-httplib server, %d requests over %d keep-alive "
            "connections...\n",
            plan.bare_requests, options.connections);
        // Configured as HttpEdge serves (TCP_NODELAY): without it every answer waits ~40 ms for
        // a delayed ack and the "limit" would measure that stall, not the machine.
        double http_limit = 0;
        Summary bare_at_500;
        {
            BareHttpServer bare(/*tcp_nodelay=*/true);
            const LoadResult saturated_load =
                run_paced(bare.port(), bare_requests(plan.bare_requests), 0, options.connections);
            http_limit = static_cast<double>(saturated_load.sent.size()) / saturated_load.seconds;
            const LoadResult paced =
                run_paced(bare.port(), bare_requests(static_cast<int>(500 * plan.step_seconds)),
                          500, options.connections);
            std::vector<double> answers;
            for (const Sent& sent : paced.sent) answers.push_back(sent.answer_ms);
            bare_at_500 = summarize(answers);
        }
        report["baseline_http"] = {{"requests_per_second_saturated", http_limit},
                                   {"round_trip_at_500_per_second", bare_at_500.to_json()}};

        // ---- 10 customers: calls, ramps, memory -------------------------------------------
        std::printf("starting the pipeline with 10 customer rooms...\n");
        std::vector<CallsPerMessage> calls;
        std::vector<StepResult> inbound, replies;
        std::vector<std::string> services;  // as the Tropo pipeline starts them
        StepResult small_scale;
        json small_info, large_info;
        PubSubResult pubsub;
        {
            Pipeline small(10, options.log_level);
            services = small.services();
            small_info = {{"customers", 10},
                          {"seed_seconds", small.seed_seconds},
                          {"router_sync_seconds", small.router_sync_seconds},
                          {"customers_known", small.customers_known},
                          {"memory_idle", usage_json(small)}};
            std::printf("raw ZeroMQ pub/sub through the bus, %d events...\n", plan.pubsub_events);
            pubsub = raw_pubsub(small.bus_publish(), small.bus_subscribe(), plan.pubsub_events);

            std::printf("provider calls per message...\n");
            calls.push_back(measure_calls(small, Flow::inbound_known, plan.known_calls, next_id));
            next_id += plan.known_calls;
            calls.push_back(measure_calls(small, Flow::inbound_new, plan.new_calls, next_id));
            next_id += plan.new_calls;
            calls.push_back(measure_calls(small, Flow::agent_reply, plan.reply_calls, next_id));
            next_id += plan.reply_calls;

            for (double rate : plan.inbound_rates) {
                std::printf("inbound SMS at %.0f/s...\n", rate);
                StepPlan step{rate,    plan.step_seconds, options.connections, small.customers(),
                              next_id, plan.drain_seconds};
                inbound.push_back(inbound_step(small, step));
                next_id += inbound.back().sent;
                settle(small);
                if (saturated(inbound.back())) break;
            }
            std::printf("inbound SMS at %.0f/s (scale comparison, 10 customers)...\n",
                        plan.scale_rate);
            small_scale =
                inbound_step(small, {plan.scale_rate, plan.scale_seconds, options.connections,
                                     small.customers(), next_id, plan.drain_seconds});
            next_id += small_scale.sent;
            settle(small);
            for (double rate : plan.reply_rates) {
                std::printf("agent replies at %.0f/s...\n", rate);
                StepPlan step{rate,    plan.step_seconds, options.connections, small.customers(),
                              next_id, plan.drain_seconds};
                replies.push_back(reply_step(small, step));
                next_id += replies.back().sent;
                if (saturated(replies.back())) break;
                settle(small);
            }
            small_info["memory_loaded"] = usage_json(small);
            small_info["scale_step"] = small_scale.to_json();
        }

        // ---- Twilio as the carrier: the same calls and ramps, 10 customers --------------------
        const CarrierRun twilio_run =
            run_carrier(sb::testing::Carrier::twilio, plan, options, next_id);
        CarrierRun tropo_run;
        tropo_run.carrier = "tropo";
        tropo_run.known = calls[0];
        tropo_run.reply = calls[2];
        tropo_run.inbound = inbound;
        tropo_run.replies = replies;

        // ---- 10,000 customers: start-up sync and per-message cost ---------------------------
        std::printf("starting the pipeline with %d customer rooms...\n", options.large_customers);
        StepResult large_scale;
        CallsPerMessage large_calls;
        {
            Pipeline large(options.large_customers, options.log_level);
            large_info = {{"customers", options.large_customers},
                          {"seed_seconds", large.seed_seconds},
                          {"router_sync_seconds", large.router_sync_seconds},
                          {"customers_known", large.customers_known},
                          {"memory_idle", usage_json(large)}};
            large_calls = measure_calls(large, Flow::inbound_known, plan.known_calls, next_id);
            next_id += plan.known_calls;
            // Spread over up to 1,000 of the customers, so lookups hit the whole directory.
            std::vector<std::string> spread;
            const auto& all = large.customers();
            const size_t stride = std::max<size_t>(1, all.size() / 1000);
            for (size_t i = 0; i < all.size() && spread.size() < 1000; i += stride) {
                spread.push_back(all[i]);
            }
            std::printf("inbound SMS at %.0f/s (scale comparison, %zu of %d customers)...\n",
                        plan.scale_rate, spread.size(), options.large_customers);
            large_scale =
                inbound_step(large, {plan.scale_rate, plan.scale_seconds, options.connections,
                                     spread, next_id, plan.drain_seconds});
            next_id += large_scale.sent;
            large_info["memory_loaded"] = usage_json(large);
            large_info["scale_step"] = large_scale.to_json();
            large_info["calls_known_customer"] = large_calls.to_json();
        }

        // ---- Report --------------------------------------------------------------------------
        std::printf("\n==== Baselines (same run) ====\n");
        std::printf(
            "bare HTTP (TCP_NODELAY, as HttpEdge), saturated: %.0f req/s (%d keep-alive "
            "connections); at 500/s "
            "round trip p50 %.2f ms, p99 %.2f ms\n",
            http_limit, options.connections, bare_at_500.p50, bare_at_500.p99);
        std::printf("raw ZeroMQ pub/sub via bus: %.0f events/s, p50 %.2f ms, p99 %.2f ms\n",
                    pubsub.per_second, pubsub.latency.p50, pubsub.latency.p99);
        report["baseline_zeromq"] = {{"events", pubsub.events},
                                     {"events_per_second", pubsub.per_second},
                                     {"latency", pubsub.latency.to_json()}};

        std::printf("\n==== Provider calls per message (10 customers) ====\n");
        std::printf("%-30s %6s %8s %9s %8s %9s %6s  %s\n", "kind", "msgs", "webex", "webhooks",
                    "tropo", "posts", "E", "webex calls by endpoint");
        report["calls_per_message"] = json::array();
        for (const CallsPerMessage& c : calls) {
            std::string endpoints;
            for (const auto& [endpoint, n] : c.webex) {
                char part[96];
                std::snprintf(part, sizeof part, "%s%s %.2f", endpoints.empty() ? "" : ", ",
                              endpoint.c_str(), n);
                endpoints += part;
            }
            std::printf("%-30s %6d %8.2f %9.2f %8.2f %9.2f %6.2f  %s\n", c.kind.c_str(), c.messages,
                        c.webex_total, c.webex_webhooks, c.carrier_api, c.carrier_posts,
                        c.exchanges, endpoints.c_str());
            report["calls_per_message"].push_back(c.to_json());
        }

        print_step_header("==== Tropo: inbound SMS (webhook -> message in the Webex room) ====");
        report["inbound_steps"] = json::array();
        double inbound_best = 0;
        const StepResult* at_500 = nullptr;
        for (const StepResult& s : inbound) {
            print_step(s);
            report["inbound_steps"].push_back(s.to_json());
            inbound_best = std::max(inbound_best, s.delivered_per_second);
            if (s.rate == 500) at_500 = &s;
        }
        print_step_header(
            "==== Tropo: agent reply (post in the room -> SMS in the phone's inbox) ====");
        report["reply_steps"] = json::array();
        double reply_best = 0;
        for (const StepResult& s : replies) {
            print_step(s);
            report["reply_steps"].push_back(s.to_json());
            reply_best = std::max(reply_best, s.delivered_per_second);
        }

        print_step_header("==== Twilio: inbound SMS (signed webhook -> room) ====");
        for (const StepResult& s : twilio_run.inbound) print_step(s, "twilio-gateway");
        print_step_header("==== Twilio: agent reply -> SMS (one REST call, status callbacks) ====");
        for (const StepResult& s : twilio_run.replies) print_step(s, "twilio-gateway");
        print_carriers(tropo_run, twilio_run);
        report["carriers"] = {{"tropo", tropo_run.to_json()}, {"twilio", twilio_run.to_json()}};

        std::printf(
            "\n==== Memory, MiB: peak RSS (VmHWM); at idle also private (unshared) and "
            "PSS ====\n%-16s %10s %10s %10s %10s | %12s %10s\n",
            "service", "idle/10", "load/10", "idle/10k", "load/10k", "private idle", "PSS idle");
        for (const std::string& service : services) {
            const auto mib = [&](const json& info, const char* phase, const char* field) {
                return number_of(member_of(member_of(info, phase), service.c_str()), field) /
                       1024.0;
            };
            std::printf("%-16s %10.1f %10.1f %10.1f %10.1f | %12.1f %10.1f\n", service.c_str(),
                        mib(small_info, "memory_idle", "peak_rss_kib"),
                        mib(small_info, "memory_loaded", "peak_rss_kib"),
                        mib(large_info, "memory_idle", "peak_rss_kib"),
                        mib(large_info, "memory_loaded", "peak_rss_kib"),
                        mib(small_info, "memory_idle", "private_kib"),
                        mib(small_info, "memory_idle", "pss_kib"));
        }

        std::printf("\n==== Scale: 10 vs %d customer rooms ====\n", options.large_customers);
        std::printf("%-10s %8s %10s %8s | at %.0f/s: %8s %8s %8s | CPU us/msg: %6s %6s %6s %6s\n",
                    "customers", "seed s", "sync s", "known", plan.scale_rate, "deliv/s", "p50 ms",
                    "p99 ms", "router", "spark", "tropo", "total");
        const std::pair<const json*, const StepResult*> scale_rows[] = {
            {&small_info, &small_scale}, {&large_info, &large_scale}};
        for (const auto& [info, step] : scale_rows) {
            std::printf(
                "%-10d %8.2f %10.2f %8.0f | %17.0f %8.1f %8.1f | %18.0f %6.0f %6.0f %6.0f\n",
                static_cast<int>(number_of(*info, "customers")), number_of(*info, "seed_seconds"),
                number_of(*info, "router_sync_seconds"), number_of(*info, "customers_known"),
                step->delivered_per_second, step->latency.p50, step->latency.p99,
                step->cpu_us_per_message.at("router"), step->cpu_us_per_message.at("spark-gateway"),
                step->cpu_us_per_message.at("tropo-gateway"), step->cpu_us_per_message.at("total"));
        }
        std::printf("webex calls per known-customer SMS with %d customers: %.2f\n",
                    options.large_customers, large_calls.webex_total);
        report["scale"] = {{"small", small_info}, {"large", large_info}};

        // ---- Targets (issue 8) -----------------------------------------------------------------
        std::printf("\n==== Targets ====\n");
        const CallsPerMessage& known = calls[0];
        const CallsPerMessage& reply = calls[2];
        const double e_inbound = known.exchanges;
        const double needed = 0.5 * http_limit / e_inbound;
        json targets = json::array();
        targets.push_back(target("Webex calls per inbound SMS, known customer", "= 1",
                                 known.webex_total, "calls", known.webex_total <= 1.0001));
        targets.push_back(target("Webex calls per inbound SMS, known, 10k customers", "= 1",
                                 large_calls.webex_total, "calls",
                                 large_calls.webex_total <= 1.0001));
        targets.push_back(target("Tropo calls per outbound SMS (agent reply)", "= 1",
                                 reply.carrier_api, "calls", reply.carrier_api <= 1.0001));
        targets.push_back(target("Twilio calls per outbound SMS (agent reply)", "= 1",
                                 twilio_run.reply.carrier_api, "calls",
                                 twilio_run.reply.carrier_api <= 1.0001));
        targets.push_back(
            target("E (HTTP exchanges per inbound SMS)", "count", e_inbound, "exchanges", true));
        targets.push_back(target("inbound delivered/s >= 0.5 x HTTP limit / E",
                                 ">= " + std::to_string(static_cast<int>(needed)), inbound_best,
                                 "msg/s", inbound_best >= needed));
        targets.push_back(target("  as a ratio of (HTTP limit / E)", ">= 0.5",
                                 inbound_best / (http_limit / e_inbound), "ratio",
                                 inbound_best >= needed));
        const double e_reply = reply.exchanges;
        const double needed_reply = 0.5 * http_limit / e_reply;
        targets.push_back(target("agent replies delivered/s >= 0.5 x HTTP limit / E",
                                 ">= " + std::to_string(static_cast<int>(needed_reply)), reply_best,
                                 "msg/s", reply_best >= needed_reply));
        if (at_500 != nullptr) {
            targets.push_back(target("inbound p99 latency at 500 msg/s", "< 5 ms",
                                     at_500->latency.p99, "ms", at_500->latency.p99 < 5));
        }
        for (const std::string& service : services) {
            if (service == "sandbox") continue;  // a test double, not deployed
            const double mib =
                number_of(member_of(member_of(small_info, "memory_idle"), service.c_str()),
                          "peak_rss_kib") /
                1024.0;
            targets.push_back(
                target(service + " peak RSS at idle", "< 20 MiB", mib, "MiB", mib < 20));
        }
        const double router_small = small_scale.cpu_us_per_message.at("router");
        const double router_large = large_scale.cpu_us_per_message.at("router");
        targets.push_back(target("router CPU per message, 10k vs 10 customers", "flat (<= 1.5x)",
                                 router_large / std::max(1.0, router_small), "x",
                                 router_large <= 1.5 * std::max(1.0, router_small)));
        const double total_small = small_scale.cpu_us_per_message.at("total");
        const double total_large = large_scale.cpu_us_per_message.at("total");
        targets.push_back(target("all processes' CPU per message, 10k vs 10", "flat (<= 1.5x)",
                                 total_large / std::max(1.0, total_small), "x",
                                 total_large <= 1.5 * std::max(1.0, total_small)));
        targets.push_back(target(
            "p50 latency at " + std::to_string(static_cast<int>(plan.scale_rate)) +
                "/s, 10k vs 10 customers",
            "flat (<= 1.5x)", large_scale.latency.p50 / std::max(0.001, small_scale.latency.p50),
            "x", large_scale.latency.p50 <= 1.5 * small_scale.latency.p50));
        report["targets"] = targets;
    } catch (const std::exception& error) {
        std::cerr << "pipeline_bench failed: " << error.what() << "\n";
        report["error"] = error.what();
        std::ofstream(options.json_path) << report.dump(2) << '\n';
        return 1;
    }
    std::ofstream(options.json_path) << report.dump(2) << '\n';
    std::printf("\nwritten: %s\n", options.json_path.c_str());
    return 0;
}

// Nothing may escape main: a failure is reported and the exit code says so.
int main(int argc, char** argv) {
    try {
        return run_bench(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "pipeline_bench failed: " << error.what() << "\n";
    } catch (...) {
        std::cerr << "pipeline_bench failed\n";
    }
    return 1;
}
