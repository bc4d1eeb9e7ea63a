#include "webhook_intake.h"

#include "signature.h"

namespace sb::spark_gateway {

Intake check_delivery(std::string_view secret, const std::string& body,
                      const std::string& signature_header, size_t max_bytes) {
    if (body.size() > max_bytes) return Intake{413, "oversized", std::nullopt};
    if (signature_header.empty()) return Intake{401, "unsigned", std::nullopt};
    // Authenticity first: nothing about an unauthenticated body is looked at.
    if (!signature_matches(secret, body, signature_header)) {
        return Intake{403, "bad signature", std::nullopt};
    }
    const ParsedNotice parsed = parse_webhook(body);
    if (parsed.ignored) return Intake{200, "ignored", std::nullopt};
    if (!parsed.notice) return Intake{400, "malformed: " + parsed.error, std::nullopt};
    return Intake{200, "accepted", parsed.notice, parsed.deleted};
}

}  // namespace sb::spark_gateway
