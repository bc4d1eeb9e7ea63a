#include "http_client.h"

#include <strings.h>

#include <sstream>

namespace sb::testing {

httplib::Client http_client(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(10, 0);
    client.set_write_timeout(10, 0);
    return client;
}

std::string HttpAnswer::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    }
    return {};
}

HttpAnswer answer_of(const httplib::Result& result) {
    HttpAnswer answer;
    if (!result) return answer;
    answer.status = result->status;
    answer.raw = result->body;
    answer.headers = result->headers;
    answer.body = nlohmann::json::parse(result->body, nullptr, false);
    return answer;
}

HttpAnswer http_json(int port, const std::string& method, const std::string& path,
                     const nlohmann::json& body, const std::string& token) {
    auto client = http_client(port);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    const std::string payload = body.is_null() ? std::string() : body.dump();
    if (method == "GET") return answer_of(client.Get(path.c_str(), headers));
    if (method == "POST")
        return answer_of(client.Post(path.c_str(), headers, payload, "application/json"));
    if (method == "PUT")
        return answer_of(client.Put(path.c_str(), headers, payload, "application/json"));
    return answer_of(client.Delete(path.c_str(), headers));
}

double scrape_metric(int port, const std::string& name, const std::string& labels) {
    const auto scraped = http_client(port).Get("/metrics");
    if (!scraped || scraped->status != 200) return -1;
    std::istringstream lines(scraped->body);
    std::string line;
    double total = 0;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line.compare(0, name.size(), name) != 0) continue;
        const char next = line.size() > name.size() ? line[name.size()] : ' ';
        if (next != ' ' && next != '{') continue;
        if (!labels.empty() && line.find(labels) == std::string::npos) continue;
        total += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return total;
}

}  // namespace sb::testing
