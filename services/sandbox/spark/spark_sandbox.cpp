#include "spark_sandbox.h"

namespace sb::sandbox::spark {

SparkSandbox::SparkSandbox(const Environment&, Metrics&) {}
void SparkSandbox::register_routes(httplib::Server&) {}
void SparkSandbox::start(const std::string&) {}
void SparkSandbox::stop() {}

}  // namespace sb::sandbox::spark
