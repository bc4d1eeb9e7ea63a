#pragma once
// The services as scripts/run names them, for harnesses that start several of them.
#include <map>
#include <string>

namespace sb::testing {

// Service name -> the variable that sets its HTTP port (/healthz, /metrics, its API).
const std::map<std::string, std::string>& port_variables();

}  // namespace sb::testing
