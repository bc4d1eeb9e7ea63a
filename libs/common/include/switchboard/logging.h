#pragma once
// Logging at the boundaries: every line names the service; event lines add topic, event id and
// key. Never log a secret, never a whole message body at info level.
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>

#include "switchboard/events.h"

namespace sb::logging {

// Sends the default logger to stderr with the service and instance on every line.
// `level` is one of trace|debug|info|warn|error|critical|off in any case (see parse_level);
// anything else throws std::invalid_argument. Every message is written through escape() (see
// below), so no caller can end a line or forge the next one.
void init(std::string_view service, std::string_view instance, std::string_view level = "info");

// The level a LOG_LEVEL value names, in any case ("INFO", "Warn"; also "warning", "err",
// "fatal" for critical); nullopt for anything else. spdlog's own from_str turns an unknown name
// into "off", which silenced a service over a typo.
std::optional<spdlog::level::level_enum> parse_level(std::string_view text);

// `text` made safe for one log line: CR, LF and TAB become \r, \n, \t; NUL, the other C0
// controls, DEL and every byte that is not part of valid UTF-8 become \xNN; the C1 controls and
// U+2028/U+2029 (which some viewers break lines at) become \u0085, \u2028 and so on. Valid UTF-8
// otherwise passes unchanged. A backslash is left as it is: the aim is that a line cannot be
// split or hidden, not that the escaping is reversible.
std::string escape(std::string_view text);

// "topic=<t> event=<id> type=<type> key=<key>": the identifying part of an event log line.
std::string event_fields(std::string_view topic, const Envelope& event);

}  // namespace sb::logging
