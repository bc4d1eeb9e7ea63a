#pragma once
// The Spark half of the sandbox (placeholder: the Spark issue fills it in).
#include <httplib.h>

#include <string>

#include "switchboard/config.h"
#include "switchboard/metrics.h"

namespace sb::sandbox::spark {

class SparkSandbox {
public:
    SparkSandbox(const Environment& env, Metrics& metrics);
    void register_routes(httplib::Server& server);
    // Called once the server listens; public_base_url is where clients reach the sandbox.
    void start(const std::string& public_base_url);
    void stop();
};

}  // namespace sb::sandbox::spark
