#pragma once
// Turns a webhook notice (ids only) into a full AgentMessage: the message (fetched), the room's
// title and team and the author's name (both cached).
#include <optional>
#include <string>

#include "switchboard/api_client.h"
#include "switchboard/events.h"
#include "webex_cache.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

// Whether the bridge itself wrote the message (its own posts come back through the webhook;
// DESIGN §2.8: never an SMS). nullopt while that cannot be told: identity not known yet and no
// SPARK_CUSTOMER_PROXY_EMAIL.
std::optional<bool> posted_by_bridge(const WebhookNotice& notice,
                                     const std::optional<Identity>& self,
                                     const std::string& proxy_email);

struct Enriched {
    enum class Kind { ready, dropped, retry, abandoned };
    Kind kind = Kind::retry;
    AgentMessage message;
    std::string reason;
};

class MessageEnricher {
  public:
    MessageEnricher(ApiClient& api, WebexCache& cache, std::string proxy_email);
    Enriched enrich(const WebhookNotice& notice);

  private:
    ApiClient& api_;
    WebexCache& cache_;
    std::string proxy_email_;
};

}  // namespace sb::spark_gateway
