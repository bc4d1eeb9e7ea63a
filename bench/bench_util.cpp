#include "bench_util.h"

#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

#include "switchboard/time_format.h"

namespace sb::bench {

json Summary::to_json() const {
    return {{"count", count}, {"p50_ms", p50}, {"p99_ms", p99}, {"max_ms", max}, {"mean_ms", mean}};
}

Summary summarize(std::vector<double> samples_ms) {
    Summary summary;
    summary.count = samples_ms.size();
    if (samples_ms.empty()) return summary;
    std::sort(samples_ms.begin(), samples_ms.end());
    const auto rank = [&](double p) {
        const size_t index = static_cast<size_t>(p * static_cast<double>(samples_ms.size()));
        return samples_ms[std::min(samples_ms.size() - 1, index)];
    };
    summary.p50 = rank(0.50);
    summary.p99 = rank(0.99);
    summary.max = samples_ms.back();
    summary.mean = std::accumulate(samples_ms.begin(), samples_ms.end(), 0.0) /
                   static_cast<double>(samples_ms.size());
    return summary;
}

long long wall_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<long long> iso_to_us(const std::string& iso8601) {
    const auto parsed = parse_iso8601(iso8601);
    if (!parsed) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::microseconds>(parsed->time_since_epoch())
        .count();
}

ProcessUsage usage_of(pid_t pid) {
    ProcessUsage usage;
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream status(base + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) usage.peak_rss_kib = std::stol(line.substr(6));
        if (line.rfind("VmRSS:", 0) == 0) usage.rss_kib = std::stol(line.substr(6));
    }
    std::ifstream rollup(base + "/smaps_rollup");
    long private_clean = 0, private_dirty = 0;
    while (std::getline(rollup, line)) {
        if (line.rfind("Pss:", 0) == 0) usage.pss_kib = std::stol(line.substr(4));
        if (line.rfind("Private_Clean:", 0) == 0) private_clean = std::stol(line.substr(14));
        if (line.rfind("Private_Dirty:", 0) == 0) private_dirty = std::stol(line.substr(14));
    }
    usage.private_kib = private_clean + private_dirty;
    std::ifstream stat(base + "/stat");
    std::string text;
    std::getline(stat, text);
    // The command name may hold spaces; fields are counted after its closing parenthesis.
    const auto close = text.rfind(')');
    if (close != std::string::npos) {
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        unsigned long long user = 0, system = 0;
        for (int index = 3; fields >> field; ++index) {
            if (index == 14) user = std::stoull(field);
            if (index == 15) {
                system = std::stoull(field);
                break;
            }
        }
        usage.cpu_seconds =
            static_cast<double>(user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }
    return usage;
}

namespace {

httplib::Client client_for(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(30, 0);
    return client;
}

HttpAnswer answer_of(const httplib::Result& result) {
    HttpAnswer answer;
    if (!result) return answer;
    answer.status = result->status;
    answer.body = json::parse(result->body, nullptr, false);
    if (answer.body.is_discarded()) answer.body = json();
    return answer;
}

}  // namespace

HttpAnswer http_get(int port, const std::string& path) {
    auto client = client_for(port);
    return answer_of(client.Get(path.c_str()));
}

HttpAnswer http_send(int port, const std::string& method, const std::string& path,
                     const json& body) {
    auto client = client_for(port);
    const std::string text = body.is_null() ? std::string() : body.dump();
    if (method == "POST") return answer_of(client.Post(path.c_str(), text, "application/json"));
    if (method == "PUT") return answer_of(client.Put(path.c_str(), text, "application/json"));
    return answer_of(client.Delete(path.c_str()));
}

double scrape_metric(int port, const std::string& name, const std::string& labels) {
    auto client = client_for(port);
    const auto scraped = client.Get("/metrics");
    if (!scraped || scraped->status != 200) return -1;
    std::istringstream lines(scraped->body);
    std::string line;
    double total = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#' || line.compare(0, name.size(), name) != 0) continue;
        const char next = line.size() > name.size() ? line[name.size()] : ' ';
        if (next != ' ' && next != '{') continue;
        if (!labels.empty() && line.find(labels) == std::string::npos) continue;
        total += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return total;
}

std::string string_of(const json& object, const char* name) {
    const json& member = member_of(object, name);
    return member.is_string() ? member.get_ref<const std::string&>() : std::string();
}

double number_of(const json& object, const char* name) {
    const json& member = member_of(object, name);
    return member.is_number() ? member.get<double>() : 0.0;
}

const json& member_of(const json& object, const char* name) {
    static const json missing;
    if (!object.is_object()) return missing;
    const auto found = object.find(name);
    return found == object.end() ? missing : *found;
}

std::string path_number(const std::string& e164) {
    return !e164.empty() && e164[0] == '+' ? "%2B" + e164.substr(1) : e164;
}

}  // namespace sb::bench
