#include "webex_call.h"

namespace sb::spark_gateway {
namespace {

Answer answer_from(const ApiResponse& response) {
    Answer answer;
    answer.status = response.status;
    answer.error = response.error;
    answer.cancelled = response.status == 0 && response.error == "cancelled";
    if (!response.body.empty()) {
        answer.body = nlohmann::json::parse(response.body, nullptr, false);
        if (answer.body.is_discarded()) answer.body = nullptr;
    }
    if (answer.ok() && !answer.body.is_null() && !answer.body.is_object()) {
        answer.status = 502;  // a 2xx that is not a JSON object is not Webex speaking
        answer.error = "answer is not a JSON object";
    }
    answer.next = next_link(response.header("Link"));
    return answer;
}

}  // namespace

Answer webex_get(ApiClient& api, const std::string& target) {
    return answer_from(api.get(target));
}
Answer webex_post(ApiClient& api, const std::string& target, const nlohmann::json& body) {
    return answer_from(api.post_json(target, body.dump()));
}
Answer webex_put(ApiClient& api, const std::string& target, const nlohmann::json& body) {
    return answer_from(api.put_json(target, body.dump()));
}
Answer webex_delete(ApiClient& api, const std::string& target) {
    return answer_from(api.del(target));
}

Listing webex_list_all(ApiClient& api, const std::string& first_target) {
    Listing listing;
    std::string target = first_target;
    for (int page = 0; !target.empty() && page < 10000; ++page) {
        Answer answer = webex_get(api, target);
        if (!answer.ok() || !answer.body.is_object() || !answer.body.contains("items") ||
            !answer.body["items"].is_array()) {
            if (answer.ok()) {
                answer.status = 502;
                answer.error = "list answer without items";
            }
            listing.failure = std::move(answer);
            return listing;
        }
        for (auto& item : answer.body["items"]) listing.items.push_back(std::move(item));
        target = answer.next;
    }
    return listing;
}

}  // namespace sb::spark_gateway
