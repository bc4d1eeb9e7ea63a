#pragma once
// Turns a webhook notice (ids only) into a full AgentMessage: the message (fetched, or taken
// from what we posted ourselves), the room title and the author's name (both cached).
#include <optional>
#include <string>

#include "directory.h"
#include "switchboard/api_client.h"
#include "switchboard/events.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

struct Enriched {
    enum class Kind { ready, dropped, retry, abandoned };
    Kind kind = Kind::retry;
    AgentMessage message;
    std::string reason;
    bool fetched_message = false;  // whether GET /messages/{id} was needed
};

class MessageEnricher {
public:
    MessageEnricher(ApiClient& api, Directory& directory, std::string proxy_email);
    Enriched enrich(const WebhookNotice& notice);

private:
    ApiClient& api_;
    Directory& directory_;
    std::string proxy_email_;
};

}  // namespace sb::spark_gateway
