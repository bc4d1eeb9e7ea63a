#include "pipeline.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "bench_util.h"
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

Pipeline::Pipeline(int customers, const std::string& log_level, testing::Carrier carrier,
                   int replicas, int partitions)
    : stack_("pipeline-bench", {{"LOG_LEVEL", log_level}}, carrier),
      services_{"bus", "sandbox", "spark-gateway", stack_.gateway(), "router"} {
    if (partitions > 0) stack_.shared()["PARTITIONS"] = std::to_string(partitions);
    start("bus");
    start("sandbox");
    seed(customers);
    start("spark-gateway");
    start(gateway());
    const auto router_start = Clock::now();
    start("router");
    router_sync_seconds = seconds_since(router_start);
    for (int replica = 2; replica <= replicas; ++replica) {
        for (const std::string& service : {gateway(), std::string("router")}) {
            const std::string name = service + "#" + std::to_string(replica);
            start(name);
            services_.push_back(name);
        }
    }
    customers_known = scrape_metric(port("router"), "switchboard_router_customers_known");
    // The sandbox stamps each room and membership 1 ms after the previous one, so a large seed
    // runs its clock ahead of the wall clock; message times are comparable once it is back.
    while (wall_us() < last_created_us_ + 10'000) std::this_thread::sleep_for(10ms);
}

Pipeline::~Pipeline() = default;  // the stack stops the services in reverse start order

std::string Pipeline::bus_publish() const {
    return stack_.bus_publish();
}

std::string Pipeline::bus_subscribe() const {
    return stack_.bus_subscribe();
}

void Pipeline::start(const std::string& service) {
    testing::Stack::Start how;
    // A replica shares its service's DATA_DIR (README, "Partitions and replicas").
    how.env = {{"DATA_DIR", dir() + "/data-" + service.substr(0, service.find('#'))}};
    how.timeout = 180s;
    stack_.start(service, how);
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
