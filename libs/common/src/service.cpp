#include "switchboard/service.h"

#include <spdlog/spdlog.h>

#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/shutdown.h"

namespace sb {

int run_service(std::string_view service, const std::function<int(const Environment&)>& body) {
    shutdown::install_signal_handlers();
    logging::init(service, service);  // until announce() knows the instance: errors on stderr
    try {
        const Environment env = Environment::from_process();
        return body(env);
    } catch (const ConfigError& error) {
        spdlog::error("{}: configuration: {}", service, error.what());
        return 2;
    } catch (const std::exception& error) {
        spdlog::error("{}: fatal: {}", service, error.what());
        return 1;
    }
}

int stop_on_shutdown(HttpEdge& http, const std::function<void()>& stop_in_order) {
    shutdown::wait();
    spdlog::info("stopping");
    http.set_ready(false);
    stop_in_order();
    return 0;
}

void announce(const CommonConfig& config, const Environment& env,
              const std::vector<Setting>& extra_settings) {
    // A CommonConfig put together by hand has no level yet: read (and check) it here then.
    logging::init(config.service, config.instance,
                  config.log_level.empty() ? read_log_level(env) : config.log_level);
    auto settings = config.settings();
    settings.insert(settings.end(), extra_settings.begin(), extra_settings.end());
    spdlog::info("starting: {}", describe_settings(settings));
}

delivery::Options delivery_options(const CommonConfig& config, std::vector<std::string> consume) {
    delivery::Options options;
    options.service = config.service;
    options.instance = config.instance;
    options.data_dir = config.data_dir;
    options.publish_endpoint = config.bus_publish;
    options.subscribe_endpoint = config.bus_subscribe;
    options.bus_keys = config.bus_client;
    options.consume = std::move(consume);
    return options;
}

delivery::Options partition_delivery_options(const CommonConfig& config,
                                             const partitions::Place& place,
                                             const std::vector<std::string_view>& consume) {
    std::vector<std::string> topics;
    topics.reserve(consume.size());
    for (const std::string_view base : consume) {
        topics.push_back(partitions::topic_for(base, place.index, place.count));
    }
    delivery::Options options = delivery_options(config, std::move(topics));
    options.instance = place.instance;
    options.data_dir = place.data_dir;
    if (!place.only()) options.route = partitions::route_to(place.index, place.count);
    return options;
}

delivery::Options intake_delivery_options(const CommonConfig& config, const Membership& membership,
                                          std::vector<std::string> consume) {
    delivery::Options options = delivery_options(config, std::move(consume));
    options.instance = partitions::slot_instance(config.instance, membership.slot());
    if (config.partitions > 1) options.route = partitions::route_by_key(config.partitions);
    return options;
}

RunnerOptions runner_options(const CommonConfig& config) {
    RunnerOptions options;
    options.service = config.service;
    options.plain_instance = config.instance;
    options.data_dir = config.data_dir;
    options.partitions = config.partitions;
    return options;
}

}  // namespace sb
