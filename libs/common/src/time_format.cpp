#include "switchboard/time_format.h"

#include <cstdio>
#include <ctime>

namespace sb {

std::string iso8601(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto millis = duration_cast<milliseconds>(when.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    if (millis < 0 && millis % 1000 != 0) --seconds;
    const int remainder = static_cast<int>(((millis % 1000) + 1000) % 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                  parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                  remainder);
    return text;
}

std::string iso8601_now() {
    return iso8601(std::chrono::system_clock::now());
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
    const std::string copy(text.substr(0, 64));
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
    // Each field is at most 4 digits wide, so none can overflow; the count says they all parsed.
    // NOLINTNEXTLINE(cert-err34-c)
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                    &second, &consumed) != 6) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    // system_clock counts nanoseconds in 64 bits, from 1677-09-21 to 2262-04-11: a year outside
    // would overflow the conversion below (undefined behaviour, a wrapped time in practice).
    if (year < 1678 || year > 2261) return std::nullopt;
    size_t at = static_cast<size_t>(consumed);
    int millis = 0;
    if (at < copy.size() && copy[at] == '.') {
        int scale = 100;
        ++at;
        while (at < copy.size() && copy[at] >= '0' && copy[at] <= '9') {
            millis += (copy[at] - '0') * scale;
            scale /= 10;
            ++at;
        }
    }
    int offset_minutes = 0;
    if (at < copy.size() && (copy[at] == '+' || copy[at] == '-')) {
        int offset_hours = 0, offset_mins = 0;
        // NOLINTNEXTLINE(cert-err34-c): two digits each, counted as above
        if (std::sscanf(copy.c_str() + at + 1, "%2d:%2d", &offset_hours, &offset_mins) != 2) {
            return std::nullopt;
        }
        offset_minutes = (offset_hours * 60 + offset_mins) * (copy[at] == '-' ? -1 : 1);
    } else if (at >= copy.size() || (copy[at] != 'Z' && copy[at] != 'z')) {
        return std::nullopt;
    }
    std::tm parts{};
    parts.tm_year = year - 1900;
    parts.tm_mon = month - 1;
    parts.tm_mday = day;
    parts.tm_hour = hour;
    parts.tm_min = minute;
    parts.tm_sec = second;
    const std::time_t seconds = timegm(&parts);
    return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis) -
           std::chrono::minutes(offset_minutes);
}

}  // namespace sb
