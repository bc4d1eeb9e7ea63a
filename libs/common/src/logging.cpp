#include "switchboard/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace sb::logging {

void init(std::string_view service, std::string_view instance, std::string_view level) {
    spdlog::drop(std::string(instance));
    auto logger = spdlog::stderr_color_mt(std::string(instance));
    std::string label(service);
    if (instance != service) label += "/" + std::string(instance);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ [" + label + "] %v");
    logger->set_level(spdlog::level::from_str(std::string(level)));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
}

std::string event_fields(std::string_view topic, const Envelope& event) {
    std::string fields = "topic=" + std::string(topic) + " event=" + event.id + " type=" + event.type;
    if (!event.key.empty()) fields += " key=" + event.key;
    return fields;
}

}  // namespace sb::logging
