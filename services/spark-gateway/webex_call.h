#pragma once
// One Webex call through ApiClient (which already retries 429/5xx/network), its JSON body and
// its next page, in one small value.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "switchboard/api_client.h"

namespace sb::spark_gateway {

struct Answer {
    int status = 0;       // 0: no HTTP answer, even after retries
    nlohmann::json body;  // parsed JSON, or null
    std::string next;     // Link rel="next", absolute
    std::string error;    // the provider's message or the network error
    bool cancelled = false;
    bool ok() const { return status >= 200 && status < 300; }
    // Worth trying again later (the provider was unreachable or busy past our retries).
    bool transient() const {
        return status == 0 || status == 429 || status == 423 || status >= 500;
    }
};

Answer webex_get(ApiClient& api, const std::string& target);
Answer webex_post(ApiClient& api, const std::string& target, const nlohmann::json& body);
Answer webex_put(ApiClient& api, const std::string& target, const nlohmann::json& body);
Answer webex_delete(ApiClient& api, const std::string& target);

// Every item of a list, following Link rel="next" to the end. On failure the Answer of the
// failing page is returned in `failure`.
struct Listing {
    std::vector<nlohmann::json> items;
    std::optional<Answer> failure;
};
Listing webex_list_all(ApiClient& api, const std::string& first_target);

}  // namespace sb::spark_gateway
