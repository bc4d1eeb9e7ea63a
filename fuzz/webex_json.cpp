// Webex REST answers (GET /messages/{id}, /rooms, /memberships, /people/{id}, /webhooks) turned
// into events by webex_translate: provider JSON, read by readers that promise never to throw.
#include <cctype>

#include "fuzz_check.h"
#include "switchboard/text.h"
#include "webex_translate.h"

using namespace sb::spark_gateway;

namespace {

bool is_url_encoded(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                return false;
            }
            i += 2;
        } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
                   c != '.' && c != '~') {
            return false;
        }
    }
    return true;
}

void translate(const json& item) {
    const sb::AgentMessage message =
        agent_message_from(item, {"Room 2088675309", "team"}, "Agent", false);
    // What the gateway publishes is an event the router can read back.
    if (message.text.size() <= 60000 && message.markdown.size() <= 60000) {
        const json written = message;
        const auto read = written.get<sb::AgentMessage>();
        FUZZ_CHECK(json(read) == written);
    }
    const sb::RoomSummary room = room_summary_from(item);
    FUZZ_CHECK(room.id == text_field(item, "id"));
    const sb::Member alone = member_from(item, nullptr);
    const sb::Member with_person = member_from(item, &item);
    FUZZ_CHECK(alone.person_id == with_person.person_id);
    FUZZ_CHECK(alone.status.empty());
    (void)first_email(item);
    FUZZ_CHECK(is_url_encoded(sb::percent_encode(text_field(item, "id"))));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const json document = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return 0;
    translate(document);
    const json* items =
        document.is_object() && document.contains("items") ? &document.at("items") : &document;
    if (items->is_array()) {
        for (const json& item : *items) translate(item);
    }

    const std::string name = "switchboard";
    const std::string target = "https://bridge.example/api/spark-webhook/";
    const WebhookPlan plan = plan_webhook(*items, name, target, "secret");
    if (plan.create) FUZZ_CHECK(plan.keep_id.empty() && !plan.update);
    if (!items->is_array()) FUZZ_CHECK(plan.create && plan.delete_ids.empty());
    // The deleted webhook's plan (undo send) holds to the same rules.
    const WebhookPlan deleted = plan_webhook(*items, name, target, "secret", "deleted");
    if (deleted.create) FUZZ_CHECK(deleted.keep_id.empty() && !deleted.update);
    if (!items->is_array()) FUZZ_CHECK(deleted.create && deleted.delete_ids.empty());
    return 0;
}
