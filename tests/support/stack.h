#pragma once
// Services as real processes on loopback, wired to each other the way scripts/run wires them:
// the one harness under every component, system and pipeline test. A Stack leases a port for
// every service and the bus's two endpoints up front, so a service can start, stop and start
// again where its peers expect it; each service gets the demo settings (deploy/env.demo, see
// demo_settings.h) with their addresses pointed at those ports, one DATA_DIR, then the
// settings the harness adds. A stack deploys one carrier (carrier.h): SMS_CARRIER and the
// sandbox's webhooks name it, and gateway() is the service to start for it. Failures throw
// std::runtime_error with the logs (doctest reports it as the test case's failure; the benchmarks
// link this too).
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus_recorder.h"
#include "carrier.h"
#include "demo_settings.h"
#include "process.h"

namespace sb::testing {

class Stack {
  public:
    // A fresh directory `$TMPDIR/<name>-XXXXXX`; `shared` goes to every service started.
    explicit Stack(const std::string& name, Env shared = {},
                   Carrier carrier = carrier_under_test());
    ~Stack();  // stops what still runs, in reverse start order
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    struct Start {
        Env env;                           // on top of env_for(service)
        std::vector<std::string> without;  // variables this start must not see at all
        bool wait_healthy = true;          // wait until GET /healthz is 200
        std::chrono::seconds timeout{60};
    };
    // Starts build/<service> (the previous run of it, if any, is killed first); its output is
    // appended to log(service). "<service>#<n>" is another replica of it: the same program and
    // DATA_DIR on a port of its own.
    testing::Process& start(const std::string& service, const Start& how);
    testing::Process& start(const std::string& service, const Env& env = {});

    // The environment `service` starts with (before Start::env and Start::without).
    Env env_for(const std::string& service) const;
    Env& shared() { return shared_; }

    std::optional<int> stop(const std::string& service,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5));
    std::optional<int> kill9(const std::string& service);
    void signal(const std::string& service, int signal_number);
    bool running(const std::string& service) const;
    testing::Process& process(const std::string& service) const;

    Carrier carrier() const { return carrier_; }
    std::string gateway() const { return gateway_of(carrier_); }  // the carrier gateway's name

    int port(const std::string& service) const { return ports_.at(service); }
    std::string url(const std::string& service) const;  // http://127.0.0.1:<port>
    const std::string& dir() const { return dir_; }
    std::string data_dir() const { return dir_ + "/data"; }
    const std::string& bus_publish() const { return bus_publish_; }
    const std::string& bus_subscribe() const { return bus_subscribe_; }

    std::string log(const std::string& service) const;  // all of it
    std::string logs() const;  // the last lines of every started service's log, for messages

    // A test's own node on this stack's bus (not started), its journal under data_dir().
    std::unique_ptr<BusRecorder> recorder(const std::string& instance,
                                          std::vector<std::string> topics) const;

  private:
    std::string dir_;
    Env shared_;
    Carrier carrier_;
    std::map<std::string, int> ports_;
    std::string bus_publish_;
    std::string bus_subscribe_;
    std::map<std::string, std::unique_ptr<testing::Process>> processes_;
    std::vector<std::string> started_;  // in start order, for stopping in reverse
};

}  // namespace sb::testing
