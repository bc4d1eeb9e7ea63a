#pragma once
// The decision on one POST /api/spark-webhook/, made on the raw bytes before anything else:
// pure, so each rejection reason is unit-tested without sockets.
#include <optional>
#include <string>
#include <string_view>

#include "webex_translate.h"

namespace sb::spark_gateway {

inline constexpr size_t kMaxWebhookBytes = 64 * 1024;  // Webex deliveries are ~1 KB

struct Intake {
    int status = 200;
    std::string reason;                   // "accepted", "ignored", or why it was rejected
    std::optional<WebhookNotice> notice;  // set when accepted
    bool deleted = false;                 // the notice is a messages/deleted one (undo send)
};

Intake check_delivery(std::string_view secret, const std::string& body,
                      const std::string& signature_header, size_t max_bytes = kMaxWebhookBytes);

}  // namespace sb::spark_gateway
