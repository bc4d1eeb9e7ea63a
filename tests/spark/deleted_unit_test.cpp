// Undo send in spark-gateway's pure parts: a messages/deleted delivery is read like a created
// one and marked as a deletion, and the two webhooks (created, deleted) are planned apart, so
// neither is taken for a duplicate of the other.
#include <doctest/doctest.h>

#include "signature.h"
#include "webex_translate.h"
#include "webhook_intake.h"

using namespace sb::spark_gateway;

namespace {

const std::string kName = "switchboard spark-gateway";
const std::string kTarget = "http://gw/api/spark-webhook/";

json hook(const std::string& id, const std::string& event, const std::string& target = kTarget,
          const std::string& status = "active") {
    return {{"id", id},       {"name", kName},    {"targetUrl", target}, {"resource", "messages"},
            {"event", event}, {"status", status}, {"secret", "s"}};
}

}  // namespace

TEST_CASE("parse_webhook: messages/deleted is a notice marked deleted, other deletions ignored") {
    const ParsedNotice deleted = parse_webhook(
        json{{"resource", "messages"},
             {"event", "deleted"},
             {"data", {{"id", "TUVTU0FHRQ"}, {"roomId", "Uk9PTQ"}, {"personEmail", "a@x"}}}}
            .dump());
    REQUIRE(deleted.notice);
    CHECK(deleted.deleted);
    CHECK(deleted.notice->message_id == "TUVTU0FHRQ");
    CHECK(deleted.notice->room_id == "Uk9PTQ");

    const ParsedNotice created =
        parse_webhook(json{{"resource", "messages"},
                           {"event", "created"},
                           {"data", {{"id", "TUVTU0FHRQ"}, {"roomId", "Uk9PTQ"}}}}
                          .dump());
    REQUIRE(created.notice);
    CHECK_FALSE(created.deleted);

    for (const char* event : {"updated", "migrated"}) {
        CAPTURE(event);
        const ParsedNotice other = parse_webhook(
            json{{"resource", "messages"}, {"event", event}, {"data", {{"id", "x"}}}}.dump());
        CHECK(other.ignored);
        CHECK_FALSE(other.notice);
    }
    CHECK(parse_webhook(
              json{{"resource", "rooms"}, {"event", "deleted"}, {"data", {{"id", "x"}}}}.dump())
              .ignored);
    // The same rules as created: ids required, and Webex ids only.
    CHECK_FALSE(
        parse_webhook(
            json{{"resource", "messages"}, {"event", "deleted"}, {"data", {{"id", "x"}}}}.dump())
            .notice);
    CHECK_FALSE(parse_webhook(json{{"resource", "messages"},
                                   {"event", "deleted"},
                                   {"data", {{"id", "a b"}, {"roomId", "r"}}}}
                                  .dump())
                    .notice);
}

TEST_CASE("check_delivery: a signed deletion is accepted as one, an unsigned one is not") {
    const std::string body = json{{"resource", "messages"},
                                  {"event", "deleted"},
                                  {"data", {{"id", "TUVTU0FHRQ"}, {"roomId", "Uk9PTQ"}}}}
                                 .dump();
    const Intake accepted = check_delivery("k", body, hmac_sha1_hex("k", body));
    REQUIRE(accepted.notice);
    CHECK(accepted.deleted);
    CHECK(accepted.status == 200);
    CHECK(check_delivery("k", body, "").status == 401);
    CHECK(check_delivery("k", body, hmac_sha1_hex("other", body)).status == 403);
}

TEST_CASE("plan_webhook: one webhook per event, neither is the other's duplicate") {
    SUBCASE("nothing there: both created") {
        CHECK(plan_webhook(json::array(), kName, kTarget, "s", "created").create);
        CHECK(plan_webhook(json::array(), kName, kTarget, "s", "deleted").create);
    }
    SUBCASE("both there: nothing to do for either") {
        const json items = json::array({hook("C", "created"), hook("D", "deleted")});
        const WebhookPlan created = plan_webhook(items, kName, kTarget, "s", "created");
        const WebhookPlan deleted = plan_webhook(items, kName, kTarget, "s", "deleted");
        CHECK(created.noop());
        CHECK(created.keep_id == "C");
        CHECK(deleted.noop());
        CHECK(deleted.keep_id == "D");
    }
    SUBCASE("only created there (an older gateway's): the deleted one is created, nothing goes") {
        const json items = json::array({hook("C", "created")});
        CHECK(plan_webhook(items, kName, kTarget, "s", "created").noop());
        const WebhookPlan deleted = plan_webhook(items, kName, kTarget, "s", "deleted");
        CHECK(deleted.create);
        CHECK(deleted.delete_ids.empty());
    }
    SUBCASE("duplicates go per event, an inactive deleted one is revived") {
        const json items =
            json::array({hook("C", "created"), hook("C2", "created"),
                         hook("D", "deleted", kTarget, "inactive"), hook("D2", "deleted")});
        const WebhookPlan created = plan_webhook(items, kName, kTarget, "s", "created");
        CHECK(created.delete_ids == std::vector<std::string>{"C2"});
        const WebhookPlan deleted = plan_webhook(items, kName, kTarget, "s", "deleted");
        CHECK(deleted.keep_id == "D");  // the first that fits, reactivated
        CHECK(deleted.update);
        CHECK(deleted.delete_ids == std::vector<std::string>{"D2"});
    }
    CHECK(webhook_create_body(kName, kTarget, "s", "deleted")["event"] == "deleted");
    CHECK(webhook_create_body(kName, kTarget, "s")["event"] == "created");
}
