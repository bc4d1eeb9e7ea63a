#pragma once
// The router's settings, read once from the environment; a bad value stops it with a message
// that names the variable.
#include <vector>

#include "router_core.h"
#include "switchboard/config.h"

namespace sb::router {

Settings read_settings(const Environment& env);
std::vector<Setting> describe(const Settings& settings);

}  // namespace sb::router
