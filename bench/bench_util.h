#pragma once
// Small measuring tools the pipeline benchmark shares: latency summaries, what /proc says about
// a process (peak RSS, CPU time), wall-clock stamps comparable with the sandbox's ISO 8601
// times, and JSON over loopback HTTP.
#include <sys/types.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sb::bench {

using json = nlohmann::json;

// Nearest-rank percentiles over a sample, in milliseconds.
struct Summary {
    size_t count = 0;
    double p50 = 0, p99 = 0, max = 0, mean = 0;
    json to_json() const;
};
Summary summarize(std::vector<double> samples_ms);

// Microseconds since the Unix epoch (system clock: the sandbox stamps with the same clock).
long long wall_us();
// "2024-05-01T10:00:00.123Z" -> microseconds since the epoch.
std::optional<long long> iso_to_us(const std::string& iso8601);

struct ProcessUsage {
    long peak_rss_kib = -1;  // VmHWM
    long rss_kib = -1;       // VmRSS
    long private_kib = -1;   // pages no other process shares (smaps_rollup Private_*)
    long pss_kib = -1;       // shared pages divided among the processes mapping them
    double cpu_seconds = 0;  // user + system
};
ProcessUsage usage_of(pid_t pid);

// Blocking JSON calls on 127.0.0.1:port; nothing when the call failed or the body is no JSON.
struct HttpAnswer {
    int status = 0;
    json body;
};
HttpAnswer http_get(int port, const std::string& path);
HttpAnswer http_send(int port, const std::string& method, const std::string& path,
                     const json& body);

// Sum of a Prometheus metric's samples whose labels contain `labels` ("" = all).
double scrape_metric(int port, const std::string& name, const std::string& labels = "");

// Field readers that never throw: a missing or mistyped field reads as empty / 0.
std::string string_of(const json& object, const char* name);
double number_of(const json& object, const char* name);
const json& member_of(const json& object, const char* name);  // null when missing

// "+12083000001" -> "%2B12083000001".
std::string path_number(const std::string& e164);

}  // namespace sb::bench
