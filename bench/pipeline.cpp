#include "pipeline.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "bench_util.h"
#include "services.h"
#include "switchboard/phone.h"

namespace sb::bench {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::string customer_number(int block, int n) {
    // 208-3xx-xxxx: a real-looking Idaho range libphonenumber calls valid; 10,000 per block.
    char text[32];
    std::snprintf(text, sizeof text, "+1208%03d%04d", 300 + block * 10 + n / 10000, n % 10000);
    const auto e164 = phone::to_e164(text, phone::Check::valid);
    if (!e164) throw std::runtime_error(std::string("not a valid number: ") + text);
    return *e164;
}

const std::vector<std::string>& Pipeline::services() {
    static const std::vector<std::string> order = {"bus", "sandbox", "spark-gateway",
                                                   "tropo-gateway", "router"};
    return order;
}

Pipeline::Pipeline(int customers, const std::string& log_level)
    : dir_(testing::make_temp_dir("pipeline-bench")), log_level_(log_level) {
    publish_port_ = testing::free_port();
    subscribe_port_ = testing::free_port();
    // Only the services started here (no ingress-web): each gets a port and its port variable.
    for (const std::string& service : services()) ports_[service] = testing::free_port();
    start("bus");
    start("sandbox");
    seed(customers);
    start("spark-gateway");
    start("tropo-gateway");
    const auto router_start = Clock::now();
    start("router");
    router_sync_seconds = seconds_since(router_start);
    customers_known = scrape_metric(port("router"), "switchboard_router_customers_known");
    // The sandbox stamps each room and membership 1 ms after the previous one, so a large seed
    // runs its clock ahead of the wall clock; message times are comparable once it is back.
    while (wall_us() < last_created_us_ + 10'000) std::this_thread::sleep_for(10ms);
}

Pipeline::~Pipeline() {
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        auto& process = processes_.at(*it);
        if (process->running()) process->terminate();
        process->wait_exit(5s);
    }
}

std::string Pipeline::bus_publish() const {
    return "tcp://127.0.0.1:" + std::to_string(publish_port_);
}

std::string Pipeline::bus_subscribe() const {
    return "tcp://127.0.0.1:" + std::to_string(subscribe_port_);
}

void Pipeline::start(const std::string& service) {
    const std::string sandbox = "http://127.0.0.1:" + std::to_string(ports_.at("sandbox"));
    std::map<std::string, std::string> env = {
        {"DATA_DIR", dir_ + "/data-" + service},
        {"LOG_LEVEL", log_level_},
        {"BUS_PUBLISH_ENDPOINT", bus_publish()},
        {"BUS_SUBSCRIBE_ENDPOINT", bus_subscribe()},
        {"SPARK_TOKEN", "sandbox-proxy-token"},
        {"SPARK_API_URL", sandbox + "/v1"},
        {"SPARK_AGENT_TEAM_ID", "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt"},
        {"SPARK_CUSTOMER_PROXY_EMAIL", "switchboard@sandbox.example"},
        {"SPARK_WEBHOOK_SECRET", "pipeline-bench-webhook-secret"},
        {"TROPO_KEY", "sandbox-tropo-key"},
        {"TROPO_API_URL", sandbox + "/1.0"},
        {"CUSTOMER_SERVICE_REDIRECT_DN", kRedirectNumber},
        {"SANDBOX_COMPANY_NUMBER", kCompanyNumber},
        {"SANDBOX_TROPO_APP_URL",
         "http://127.0.0.1:" + std::to_string(ports_.at("tropo-gateway")) + "/api/tropo-webhook/"},
        {"COMPANY_NAME", "Acme Outfitters"},
    };
    for (const auto& [name, port] : ports_) {
        env[testing::port_variables().at(name)] = std::to_string(port);
    }
    processes_[service] = std::make_unique<testing::Process>(testing::build_dir() + "/" + service,
                                                             std::vector<std::string>{}, env,
                                                             dir_ + "/" + service + ".log");
    started_.push_back(service);
    const int http_port = ports_.at(service);
    if (!testing::wait_until([&] { return testing::http_status(http_port, "/healthz") == 200; },
                             180s)) {
        throw std::runtime_error(service + " did not become healthy; see " + dir_ + "/" + service +
                                 ".log");
    }
}

void Pipeline::seed(int customers) {
    const auto start = Clock::now();
    long long last_created_us = 0;
    for (int first = 0; first < customers; first += 5000) {  // the admin API takes 5,000 a call
        json titles = json::array();
        std::vector<std::string> numbers;
        for (int n = first; n < std::min(customers, first + 5000); ++n) {
            numbers.push_back(customer_number(0, n));
            titles.push_back(phone::room_title_for(numbers.back()));
        }
        const HttpAnswer answer =
            http_send(port("sandbox"), "POST", "/sandbox/spark/rooms", {{"titles", titles}});
        if (answer.status != 200 || !member_of(answer.body, "items").is_array()) {
            throw std::runtime_error("the sandbox did not create the customer rooms");
        }
        size_t i = 0;
        for (const json& item : member_of(answer.body, "items")) {
            if (i >= numbers.size()) break;
            rooms_[numbers[i]] = string_of(item, "id");
            customers_.push_back(numbers[i++]);
            last_created_us =
                std::max(last_created_us, iso_to_us(string_of(item, "created")).value_or(0));
        }
    }
    seed_seconds = seconds_since(start);
    last_created_us_ = last_created_us;
}

}  // namespace sb::bench
