#pragma once
// Logging at the boundaries: every line names the service; event lines add topic, event id and
// key. Never log a secret, never a whole message body at info level.
#include <spdlog/spdlog.h>

#include <string_view>

#include "switchboard/events.h"

namespace sb::logging {

// Sends the default logger to stderr with the service and instance on every line.
// LOG_LEVEL (trace|debug|info|warn|error) picks the level; default info.
void init(std::string_view service, std::string_view instance, std::string_view level = "info");

// "topic=<t> event=<id> type=<type> key=<key>": the identifying part of an event log line.
std::string event_fields(std::string_view topic, const Envelope& event);

}  // namespace sb::logging
