#include "reply.h"

namespace sb::sandbox::spark {

Reply fail(int status, const std::string& message) {
    return Reply{status,
                 json{{"message", message}, {"errors", json::array({{{"description", message}}})}},
                 {}};
}

Reply ok(json body) {
    return Reply{200, std::move(body), {}};
}

Reply no_content() {
    return Reply{204, nullptr, {}};
}

std::string query_value(const Query& query, const std::string& name) {
    const auto found = query.find(name);
    return found == query.end() ? std::string() : found->second;
}

json webex_error(const std::string& message, const std::string& tracking_id) {
    return json{{"message", message},
                {"errors", json::array({{{"description", message}}})},
                {"trackingId", tracking_id}};
}

}  // namespace sb::sandbox::spark
