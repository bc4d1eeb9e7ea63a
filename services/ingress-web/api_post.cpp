#include "api_post.h"

#include "api_request.h"
#include "bearer.h"
#include "switchboard/time_format.h"

namespace sb::web {

ApiOutcome decide_api_post(const ApiPost& post, std::string_view api_token, const Moment& now) {
    switch (api_access(post.authorization, api_token)) {
        case ApiAccess::allowed:
            break;
        case ApiAccess::disabled:
            // Answered like any path that does not exist: the internet learns nothing, and an
            // operator who forgot the token sees this line rather than a puzzling 401.
            return ApiRefusal{404, "api_disabled", "not found", false,
                              "api: refused from " + post.client +
                                  ": the JSON API is off (INGRESS_API_TOKEN unset)"};
        case ApiAccess::unauthorized:
            return ApiRefusal{401, "unauthorized", "a valid bearer token is required", true,
                              "api: missing or wrong bearer token from " + post.client};
    }
    ApiValidation validation = parse_api_message(post.body, iso8601(now.wall));
    if (!validation.message) {
        const std::string warning = "api: refused (" + validation.reason + ") from " + post.client;
        return ApiRefusal{400, std::move(validation.reason), std::move(validation.error), false,
                          warning};
    }
    return ApiAccepted{std::move(*validation.message)};
}

ApiRefusal api_publish_failed() {
    return ApiRefusal{503, "publish_failed", "could not store the message; try again", false, ""};
}

}  // namespace sb::web
