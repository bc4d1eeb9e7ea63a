// spark-gateway's pure parts: signatures, webhook intake, Webex JSON -> events, the webhook
// plan, the caches. No sockets.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catch_up.h"
#include "message_enricher.h"
#include "signature.h"
#include "switchboard/text.h"
#include "switchboard/time_format.h"
#include "webex_cache.h"
#include "webex_translate.h"
#include "webhook_intake.h"

using namespace sb::spark_gateway;
using nlohmann::json;

namespace {

const std::string kSecret = "s3cret";

std::string delivery_body(const std::string& id = "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ",
                          const std::string& resource = "messages") {
    return json{{"id", "hook"},
                {"resource", resource},
                {"event", "created"},
                {"data",
                 {{"id", id},
                  {"roomId", "Y2lzY29zcGFyazovL3VzL1JPT00vMQ"},
                  {"roomType", "group"},
                  {"personId", "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hbGljZQ"},
                  {"personEmail", "alice@sandbox.example"},
                  {"created", "2026-11-24T08:45:44.123Z"}}}}
        .dump();
}

}  // namespace

TEST_CASE("HMAC-SHA1 matches the RFC 2202 test vector PROVIDERS.md quotes") {
    CHECK(hmac_sha1_hex("Jefe", "what do ya want for nothing?") ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("signature_matches accepts the right signature and nothing else") {
    const std::string body = delivery_body();
    const std::string good = hmac_sha1_hex(kSecret, body);
    CHECK(signature_matches(kSecret, body, good));
    std::string upper = good;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(signature_matches(kSecret, body, upper));
    CHECK_FALSE(signature_matches(kSecret, body + " ", good));          // body changed
    CHECK_FALSE(signature_matches("other", body, good));                // wrong secret
    CHECK_FALSE(signature_matches(kSecret, body, good.substr(0, 39)));  // truncated
    CHECK_FALSE(signature_matches(kSecret, body, ""));
    CHECK_FALSE(signature_matches("", body, hmac_sha1_hex("", body)));  // no secret, no trust
    std::string flipped = good;
    flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
    CHECK_FALSE(signature_matches(kSecret, body, flipped));
}

TEST_CASE("webhook intake: each rejection has its status and reason") {
    const std::string body = delivery_body();
    const std::string signature = hmac_sha1_hex(kSecret, body);

    const Intake accepted = check_delivery(kSecret, body, signature);
    CHECK(accepted.status == 200);
    REQUIRE(accepted.notice);
    CHECK(accepted.notice->message_id == "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ");
    CHECK(accepted.notice->room_id == "Y2lzY29zcGFyazovL3VzL1JPT00vMQ");
    CHECK(accepted.notice->person_email == "alice@sandbox.example");

    CHECK(check_delivery(kSecret, body, "").status == 401);
    CHECK(check_delivery(kSecret, body, std::string(40, '0')).status == 403);
    CHECK(check_delivery(kSecret, body, "not hex at all").status == 403);
    CHECK(check_delivery(kSecret, std::string(70000, 'x'), "x").status == 413);

    const auto signed_intake = [&](const std::string& raw) {
        return check_delivery(kSecret, raw, hmac_sha1_hex(kSecret, raw));
    };
    CHECK(signed_intake("{not json").status == 400);
    CHECK(signed_intake("[1,2,3]").status == 400);
    CHECK(signed_intake(R"({"resource":"messages","event":"created"})").status == 400);
    CHECK(signed_intake(R"({"resource":"messages","event":"created","data":{"id":"x"}})").status ==
          400);
    CHECK(signed_intake(delivery_body("../../etc/passwd")).status == 400);
    CHECK(signed_intake(delivery_body(std::string(600, 'A'))).status == 400);
    const Intake other = signed_intake(delivery_body("abc", "rooms"));
    CHECK(other.status == 200);
    CHECK(other.reason == "ignored");
    CHECK_FALSE(other.notice);
}

TEST_CASE("a skeleton carries the notice through the journal unchanged") {
    const Intake intake =
        check_delivery(kSecret, delivery_body(), hmac_sha1_hex(kSecret, delivery_body()));
    REQUIRE(intake.notice);
    const sb::AgentMessage skeleton = skeleton_from(*intake.notice);
    // It must survive the bus's contract check (room_title is required, may be empty).
    const sb::Envelope event = sb::stamp(
        sb::make_event(sb::event_type::agent_message, "test", skeleton.room_id, skeleton));
    const auto parsed = sb::parse_envelope(json(event).dump());
    REQUIRE(parsed);
    const WebhookNotice back = notice_from(parsed.envelope->payload_as<sb::AgentMessage>());
    CHECK(back.message_id == intake.notice->message_id);
    CHECK(back.room_id == intake.notice->room_id);
    CHECK(back.person_id == intake.notice->person_id);
    CHECK(back.created == intake.notice->created);
}

TEST_CASE("a Webex message becomes an AgentMessage") {
    const json message = {{"id", "M1"},
                          {"roomId", "R1"},
                          {"roomType", "group"},
                          {"text", "Bob hello"},
                          {"markdown", "<@personEmail:bob@x.example|Bob> hello"},
                          {"personId", "P1"},
                          {"personEmail", "alice@x.example"},
                          {"mentionedPeople", {"P2"}},
                          {"mentionedGroups", {"all"}},
                          {"files", {"https://x/f"}},
                          {"created", "2026-11-24T08:45:44.123Z"}};
    const sb::AgentMessage out =
        agent_message_from(message, {"Tommy 2088675309", "TEAM1"}, "Alice", false);
    CHECK(out.message_id == "M1");
    CHECK(out.room_id == "R1");
    CHECK(out.room_title == "Tommy 2088675309");
    CHECK(out.room_team_id == "TEAM1");
    CHECK(out.author_id == "P1");
    CHECK(out.author_email == "alice@x.example");
    CHECK(out.author_name == "Alice");
    CHECK(out.text == "Bob hello");
    CHECK(out.markdown == "<@personEmail:bob@x.example|Bob> hello");
    CHECK(out.mentioned_people == std::vector<std::string>{"P2"});
    CHECK(out.mentioned_groups == std::vector<std::string>{"all"});
    CHECK(out.files == std::vector<std::string>{"https://x/f"});
    CHECK_FALSE(out.from_bridge);
    CHECK(agent_message_from(message, {"t", ""}, "n", true).from_bridge);

    // Hostile shapes read as empty, never throw.
    const sb::AgentMessage odd = agent_message_from(
        json{{"id", 5}, {"text", nullptr}, {"mentionedPeople", "P2"}}, {"t", ""}, "", false);
    CHECK(odd.message_id.empty());
    CHECK(odd.mentioned_people.empty());
}

TEST_CASE("rooms and members translate, presence optional") {
    const auto room = room_summary_from({{"id", "R"},
                                         {"title", "2088675309"},
                                         {"lastActivity", "2026-11-24T08:00:00.000Z"},
                                         {"created", "2026-01-01T00:00:00.000Z"}});
    CHECK(room.id == "R");
    CHECK(room.title == "2088675309");
    CHECK(room.created == "2026-01-01T00:00:00.000Z");
    const json membership = {{"personId", "P"}, {"personEmail", "a@x"}, {"personDisplayName", "A"}};
    const json person = {{"status", "inactive"}, {"lastActivity", "2026-11-24T05:00:00.000Z"}};
    const sb::Member with = member_from(membership, &person);
    CHECK(with.status == "inactive");
    CHECK(with.last_activity == "2026-11-24T05:00:00.000Z");
    const sb::Member without = member_from(membership, nullptr);
    CHECK(without.status.empty());
    CHECK(without.email == "a@x");
}

TEST_CASE("the webhook plan: create, keep, update, and delete duplicates") {
    const std::string name = "switchboard spark-gateway";
    const std::string target = "http://gw/api/spark-webhook/";
    const auto hook = [&](std::string id, std::string url, std::string status = "active",
                          std::string hook_name = "switchboard spark-gateway",
                          std::string secret = "s") {
        return json{
            {"id", id},           {"name", hook_name}, {"targetUrl", url}, {"resource", "messages"},
            {"event", "created"}, {"status", status},  {"secret", secret}};
    };

    SUBCASE("nothing there: create") {
        const auto plan = plan_webhook(json::array(), name, target, "s");
        CHECK(plan.create);
        CHECK(plan.delete_ids.empty());
    }
    SUBCASE("exactly ours: nothing to do") {
        const auto plan = plan_webhook(json::array({hook("A", target)}), name, target, "s");
        CHECK(plan.noop());
        CHECK(plan.keep_id == "A");
    }
    SUBCASE("inactive or another secret: update it") {
        CHECK(plan_webhook(json::array({hook("A", target, "inactive")}), name, target, "s").update);
        CHECK(
            plan_webhook(json::array({hook("A", target, "active", name, "old")}), name, target, "s")
                .update);
    }
    SUBCASE("stale target of ours: update rather than pile up") {
        const auto plan = plan_webhook(json::array({hook("A", "http://old/api/spark-webhook/")}),
                                       name, target, "s");
        CHECK_FALSE(plan.create);
        CHECK(plan.update);
        CHECK(plan.keep_id == "A");
    }
    SUBCASE("duplicates of ours go, strangers stay") {
        const auto plan = plan_webhook(
            json::array({hook("A", target), hook("B", target), hook("C", "http://old/x", "active"),
                         hook("D", "http://other-app/x", "active", "someone else")}),
            name, target, "s");
        CHECK(plan.keep_id == "A");
        CHECK(plan.delete_ids == std::vector<std::string>{"B", "C"});
    }
}

TEST_CASE("percent_encode keeps ids safe in a query") {
    CHECK(sb::percent_encode("a+b/c=") == "a%2Bb%2Fc%3D");
    CHECK(sb::percent_encode("Y2lz-_.~") == "Y2lz-_.~");
}

TEST_CASE("webex cache: rooms (title and team) expire, the bridge knows its own name") {
    WebexCache cache(std::chrono::seconds(30), std::chrono::seconds(60));
    const auto t0 = sb::SteadyClock::now();
    CHECK_FALSE(cache.room("R", t0));
    cache.set_room("R", {"2088675309", "TEAM1"}, t0);
    const auto cached = cache.room("R", t0 + std::chrono::seconds(29));
    REQUIRE(cached);
    CHECK(cached->title == "2088675309");
    CHECK(cached->team_id == "TEAM1");
    CHECK_FALSE(cache.room("R", t0 + std::chrono::seconds(30)));
    // A space in no team is cached as such: its team is known to be none.
    cache.set_room("S", {"Anything 3055550111", ""}, t0);
    REQUIRE(cache.room("S", t0));
    CHECK(cache.room("S", t0)->team_id.empty());

    cache.set_identity({"ME", "me@x", "Bridge"});
    CHECK(cache.person("ME", t0)->display_name == "Bridge");
}

TEST_CASE("posted_by_bridge: by person id or email, unknown until the identity is") {
    WebhookNotice notice;
    notice.person_id = "ME";
    notice.person_email = "bridge@x";
    const Identity self{"ME", "bridge@x", "Bridge"};
    CHECK(posted_by_bridge(notice, self, "") == true);
    CHECK_FALSE(posted_by_bridge(notice, std::nullopt, "").has_value());  // cannot tell yet
    CHECK(posted_by_bridge(notice, std::nullopt, "bridge@x") == true);

    WebhookNotice agent;
    agent.person_id = "ALICE";
    agent.person_email = "alice@x";
    CHECK(posted_by_bridge(agent, self, "bridge@x") == false);
    CHECK(posted_by_bridge(agent, self, "") == false);
    // Same email, other id: the configured proxy email still names the bridge.
    WebhookNotice same_email = agent;
    same_email.person_email = "bridge@x";
    CHECK(posted_by_bridge(same_email, self, "") == true);
    same_email.person_email = "Bridge@X";  // as typed, in another case
    CHECK(posted_by_bridge(same_email, std::nullopt, "bridge@x") == true);
}

TEST_CASE("seen mark: only moves forward, survives a restart, and a garbled file means none") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("seen-mark-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "gw.spark-seen";
    const auto t0 = *sb::parse_iso8601("2026-11-30T10:00:00.000Z");
    {
        SeenMark mark(file);
        CHECK_FALSE(mark.load());  // first start
        mark.observe(t0);
        mark.observe(t0 - std::chrono::seconds(5));  // an older message arriving late
        mark.save_if_changed();
    }
    CHECK(SeenMark(file).load() == t0);
    {
        SeenMark mark(file);
        mark.observe(t0 + std::chrono::milliseconds(1));
        mark.save_if_changed();
    }
    CHECK(SeenMark(file).load() == t0 + std::chrono::milliseconds(1));
    std::ofstream(file, std::ios::trunc) << "not a time\n";
    CHECK_FALSE(SeenMark(file).load());
    std::filesystem::remove_all(dir);
}
