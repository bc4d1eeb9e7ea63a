#pragma once
// The system under test: bus, sandbox, spark-gateway, one carrier gateway (tropo-gateway or
// twilio-gateway, testing::Carrier) and router as real processes on loopback (a testing::Stack: the
// demo settings of deploy/env.demo, free ports), each with its own fresh DATA_DIR, wired as
// scripts/run wires them. The sandbox is seeded with `customers` existing customer rooms before the
// router starts, so the router's start-up directory sync can be timed.
#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stack.h"

namespace sb::bench {

inline constexpr const char* kAgentEmail = "alice@sandbox.example";

// The n-th customer's number (+1 208 3xx xxxx); `block` keeps separate groups apart.
std::string customer_number(int block, int n);

class Pipeline {
  public:
    // `replicas` of the router and of the carrier gateway ("router#2", ...: testing::Stack), on
    // one DATA_DIR per service, with `partitions` (PARTITIONS) when given.
    Pipeline(int customers, const std::string& log_level,
             testing::Carrier carrier = testing::Carrier::tropo, int replicas = 1,
             int partitions = 0);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    const std::vector<std::string>& services() const { return services_; }  // start order
    testing::Carrier carrier() const { return stack_.carrier(); }
    std::string gateway() const { return stack_.gateway(); }  // the carrier gateway's name
    int port(const std::string& service) const { return stack_.port(service); }
    std::string url(const std::string& service) const { return stack_.url(service); }
    pid_t pid(const std::string& service) const { return stack_.process(service).pid(); }
    const std::string& dir() const { return stack_.dir(); }
    void kill9(const std::string& service) { stack_.kill9(service); }
    std::string bus_publish() const;
    std::string bus_subscribe() const;

    const std::vector<std::string>& customers() const { return customers_; }
    const std::string& room_of(const std::string& number) const { return rooms_.at(number); }

    double seed_seconds = 0;         // creating the rooms in the sandbox
    double router_sync_seconds = 0;  // router start until /healthz 200 (directory synced)
    double customers_known = 0;      // the router's count after the sync

  private:
    void start(const std::string& service);
    void seed(int customers);

    testing::Stack stack_;
    std::vector<std::string> services_;
    std::vector<std::string> customers_;
    std::map<std::string, std::string> rooms_;  // number -> room id
    long long last_created_us_ = 0;
};

}  // namespace sb::bench
