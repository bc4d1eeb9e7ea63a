#pragma once
// What every service's main shares: signal handling, the environment, logging, exit codes.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/config.h"
#include "switchboard/delivery.h"
#include "switchboard/membership.h"
#include "switchboard/partitioned_runner.h"
#include "switchboard/partitions.h"

namespace sb {

class HttpEdge;

// Installs the SIGTERM/SIGINT handlers, reads the environment (and .env), runs `body`, and maps
// failures to exit codes: ConfigError -> 2 (the message names the variable), anything else -> 1.
int run_service(std::string_view service, const std::function<int(const Environment&)>& body);

// The end of every main: blocks until SIGTERM/SIGINT (or shutdown::request()), logs "stopping",
// makes /readyz answer 503 so no new work is sent here, then calls `stop_in_order`, which stops
// the service's parts in the order that main needs (each knows what must stop before what).
// Returns 0, the exit code of a clean stop.
int stop_on_shutdown(HttpEdge& http, const std::function<void()>& stop_in_order);

// Starts logging for the service and prints its settings (secrets redacted).
void announce(const CommonConfig& config, const Environment& env,
              const std::vector<Setting>& extra_settings = {});

// Delivery options for this instance: its journal under DATA_DIR, the bus endpoints, and the
// topics it is the consumer of.
delivery::Options delivery_options(const CommonConfig& config, std::vector<std::string> consume);

// A partition's node (README, "Partitions and replicas"): its name and journal folder, the
// partition's topics of `consume` (plain topic names), and its outputs routed to its partition.
delivery::Options partition_delivery_options(const CommonConfig& config,
                                             const partitions::Place& place,
                                             const std::vector<std::string_view>& consume);
// A replica's intake node: named by its slot ("<INSTANCE_ID>.s<n>"), its events routed to their
// key's partition.
delivery::Options intake_delivery_options(const CommonConfig& config, const Membership& membership,
                                          std::vector<std::string> consume = {});
// What the runner of `config`'s service needs to know.
RunnerOptions runner_options(const CommonConfig& config);

}  // namespace sb
