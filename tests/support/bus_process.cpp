#include "bus_process.h"

#include <httplib.h>

#include <chrono>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "switchboard/bus_security.h"

namespace sb::testing {

std::string free_endpoint() {
    return "tcp://127.0.0.1:" + std::to_string(free_port());
}

BusProcess::BusProcess(const std::string& dir)
    : BusProcess(dir, free_endpoint(), free_endpoint()) {}

BusKeys::BusKeys()
    : server(bus_security::generate_key_pair()), client(bus_security::generate_key_pair()) {}

std::map<std::string, std::string> BusKeys::bus_env() const {
    return {{"BUS_SERVER_SECRET_KEY", server.secret_key},
            {"BUS_CLIENT_PUBLIC_KEYS", client.public_key}};
}

std::map<std::string, std::string> BusKeys::service_env() const {
    return {{"BUS_SERVER_PUBLIC_KEY", server.public_key},
            {"BUS_CLIENT_SECRET_KEY", client.secret_key}};
}

bus_security::ClientKeys BusKeys::client_keys() const {
    return {server.public_key, client};
}

namespace {

std::map<std::string, std::string> bus_env(const std::string& publish, const std::string& subscribe,
                                           int http_port,
                                           std::map<std::string, std::string> extra) {
    extra["BUS_PUBLISH_ENDPOINT"] = publish;
    extra["BUS_SUBSCRIBE_ENDPOINT"] = subscribe;
    extra["BUS_PORT"] = std::to_string(http_port);
    return extra;
}

}  // namespace

BusProcess::BusProcess(const std::string& dir, std::string publish_endpoint,
                       std::string subscribe_endpoint)
    : BusProcess(dir, std::move(publish_endpoint), std::move(subscribe_endpoint), {}) {}

BusProcess::BusProcess(const std::string& dir, std::string publish_endpoint,
                       std::string subscribe_endpoint,
                       const std::map<std::string, std::string>& extra_env)
    : publish(std::move(publish_endpoint)),
      subscribe(std::move(subscribe_endpoint)),
      http_port(free_port()),
      process(build_dir() + "/bus", {}, bus_env(publish, subscribe, http_port, extra_env),
              dir + "/bus.log") {
    // Thrown, not REQUIREd, like the rest of test_support (the benchmarks link it too); doctest
    // reports the message as the test case's failure all the same.
    if (!wait_until([&] { return http_status(http_port, "/healthz") == 200; },
                    std::chrono::seconds(10))) {
        throw std::runtime_error("the bus did not become healthy within 10 s; see " + dir +
                                 "/bus.log");
    }
}

double BusProcess::metric(const std::string& series) const {
    httplib::Client client("127.0.0.1", http_port);
    client.set_connection_timeout(std::chrono::seconds(2));
    const auto response = client.Get("/metrics");
    if (!response || response->status != 200) return -1;
    std::istringstream lines(response->body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
            line[series.size()] == ' ') {
            return std::stod(line.substr(series.size() + 1));
        }
    }
    return -1;
}

}  // namespace sb::testing
