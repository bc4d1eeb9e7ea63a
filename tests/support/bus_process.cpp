#include "bus_process.h"

#include <chrono>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace sb::testing {

std::string free_endpoint() {
    return "tcp://127.0.0.1:" + std::to_string(free_port());
}

BusProcess::BusProcess(const std::string& dir)
    : BusProcess(dir, free_endpoint(), free_endpoint()) {}

BusProcess::BusProcess(const std::string& dir, std::string publish_endpoint,
                       std::string subscribe_endpoint)
    : publish(std::move(publish_endpoint)),
      subscribe(std::move(subscribe_endpoint)),
      http_port(free_port()),
      process(build_dir() + "/bus", {},
              {{"BUS_PUBLISH_ENDPOINT", publish},
               {"BUS_SUBSCRIBE_ENDPOINT", subscribe},
               {"BUS_PORT", std::to_string(http_port)}},
              dir + "/bus.log") {
    // Thrown, not REQUIREd, like the rest of test_support (the benchmarks link it too); doctest
    // reports the message as the test case's failure all the same.
    if (!wait_until([&] { return http_status(http_port, "/healthz") == 200; },
                    std::chrono::seconds(10))) {
        throw std::runtime_error("the bus did not become healthy within 10 s; see " + dir +
                                 "/bus.log");
    }
}

}  // namespace sb::testing
