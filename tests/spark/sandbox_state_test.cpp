// The Webex sandbox's state without sockets: paging, limits, conflicts, mentions, deliveries.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <set>

#include "spark/spark_state.h"
#include "spark/webex_ids.h"

using namespace sb::sandbox::spark;

namespace {

Seed seed() {
    Seed s;
    s.proxy_token = "tok";
    s.proxy_email = "proxy@sandbox.example";
    s.team_id = webex_id("TEAM", "t");
    return s;
}

}  // namespace

TEST_CASE("Webex-style ids are base64 of ciscospark URIs") {
    CHECK(webex_id("TEAM", "sandbox-team") == "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt");
    const auto decoded = base64url_decode(new_webex_id("ROOM"));
    REQUIRE(decoded);
    CHECK(decoded->rfind("ciscospark://us/ROOM/", 0) == 0);
    CHECK(hmac_sha1_hex("Jefe", "what do ya want for nothing?") ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("tokens: only the proxy's is known") {
    SparkState state(seed());
    CHECK(state.person_for_token("tok") == state.proxy_id());
    CHECK_FALSE(state.person_for_token("nope"));
    CHECK_FALSE(state.person_for_token(""));
}

TEST_CASE("rooms page with a cursor and every room appears exactly once") {
    SparkState state(seed());
    json titles = json::array();
    for (int i = 0; i < 25; ++i) titles.push_back("room " + std::to_string(i));
    REQUIRE(state.admin_create_rooms({{"titles", titles}}).status == 200);
    for (const std::string sort : {"", "created", "lastactivity"}) {
        Query query = {{"teamId", seed().team_id}, {"max", "10"}};
        if (!sort.empty()) query["sortBy"] = sort;
        std::set<std::string> seen;
        int pages = 0;
        while (true) {
            const Reply reply = state.list_rooms(state.proxy_id(), query);
            REQUIRE(reply.status == 200);
            ++pages;
            for (const auto& room : reply.body["items"]) seen.insert(room["id"].get<std::string>());
            if (reply.next_query.empty()) break;
            // Follow the cursor exactly as given.
            const auto at = reply.next_query.find("cursor=");
            REQUIRE(at != std::string::npos);
            auto end = reply.next_query.find('&', at);
            query["cursor"] = reply.next_query.substr(
                at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
        }
        CHECK(pages == 3);
        CHECK(seen.size() == 26);  // 25 + the general room
    }
    CHECK(state.list_rooms(state.proxy_id(), {{"max", "0"}}).status == 400);
    CHECK(state.list_rooms(state.proxy_id(), {{"max", "1001"}}).status == 400);
    CHECK(state.list_rooms(state.proxy_id(), {{"cursor", "!!"}}).status == 400);
}

// Every page of a listing, following the cursor the way a client follows the Link header.
std::vector<std::string> all_pages(const std::function<Reply(const Query&)>& list, Query query) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 50; ++pages) {
        const Reply reply = list(query);
        REQUIRE(reply.status == 200);
        for (const auto& item : reply.body["items"]) ids.push_back(item["id"].get<std::string>());
        if (reply.next_query.empty()) break;
        const auto at = reply.next_query.find("cursor=");
        REQUIRE(at != std::string::npos);
        const auto end = reply.next_query.find('&', at);
        query["cursor"] = reply.next_query.substr(
            at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
    }
    return ids;
}

TEST_CASE("memberships, team memberships and webhooks page in creation order, each once") {
    SparkState state(seed());
    const std::string me = state.proxy_id();
    const std::string room = state.create_room(me, {{"title", "r"}}).body["id"];
    for (const char* email : {"alice@sandbox.example", "bob@sandbox.example",
                              "carol@sandbox.example", "dan@sandbox.example"}) {
        REQUIRE(state.create_membership(me, {{"roomId", room}, {"personEmail", email}}).status ==
                200);
    }
    for (int i = 0; i < 7; ++i) {
        REQUIRE(state
                    .create_webhook(me, {{"name", "hook " + std::to_string(i)},
                                         {"targetUrl", "http://127.0.0.1:1/h"},
                                         {"resource", "messages"},
                                         {"event", "created"}})
                    .status == 200);
    }
    const auto one_page = [](const Reply& reply) {
        std::vector<std::string> ids;
        for (const auto& item : reply.body["items"]) ids.push_back(item["id"].get<std::string>());
        return ids;
    };
    // One item a page: the pages together are the whole listing, in its order, nothing twice.
    const std::vector<std::string> members =
        one_page(state.list_memberships(me, {{"roomId", room}}));
    REQUIRE(members.size() == 5);
    CHECK(all_pages([&](const Query& q) { return state.list_memberships(me, q); },
                    {{"roomId", room}, {"max", "1"}}) == members);

    const Query team = {{"teamId", seed().team_id}};
    const std::vector<std::string> team_members = one_page(state.list_team_memberships(me, team));
    REQUIRE(team_members.size() == 5);
    Query team_paged = team;
    team_paged["max"] = "2";
    CHECK(all_pages([&](const Query& q) { return state.list_team_memberships(me, q); },
                    team_paged) == team_members);

    const std::vector<std::string> hooks = one_page(state.list_webhooks(me, {}));
    REQUIRE(hooks.size() == 7);
    const Reply first = state.list_webhooks(me, {{"max", "3"}});
    CHECK(first.body["items"].size() == 3);
    CHECK_FALSE(first.next_query.empty());  // more than `max`: a next page, as Webex does
    CHECK(all_pages([&](const Query& q) { return state.list_webhooks(me, q); }, {{"max", "3"}}) ==
          hooks);
    CHECK(state.list_webhooks(me, {{"cursor", "!!"}}).status == 400);
}

TEST_CASE("markdown: the stored text drops marks and names mentions, html escapes the text") {
    SparkState state(seed());
    const std::string room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    const Reply posted = state.create_message(
        state.proxy_id(),
        {{"roomId", room},
         {"markdown", "**hi** <@personEmail:alice@sandbox.example> & `it's` <b> \"q\" <@all>"}});
    REQUIRE(posted.status == 200);
    CHECK(posted.body["text"] == "hi Alice Anders & it's <b> \"q\" all");
    CHECK(posted.body["html"] ==
          "<p>hi Alice Anders &amp; it&#39;s &lt;b&gt; &quot;q&quot; all</p>");
    CHECK(posted.body["mentionedGroups"] == json::array({"all"}));
    REQUIRE(posted.body["mentionedPeople"].size() == 1);
}

TEST_CASE("the general room is the team's oldest room") {
    SparkState state(seed());
    state.create_room(state.proxy_id(), {{"title", "2088675309"}, {"teamId", seed().team_id}});
    const json rooms = state.admin_rooms()["items"];
    REQUIRE(rooms.size() == 2);
    CHECK(rooms[0]["isGeneral"] == true);
    CHECK(rooms[0]["created"].get<std::string>() < rooms[1]["created"].get<std::string>());
}

TEST_CASE("messages: 7,439 UTF-8 bytes pass, one more byte fails") {
    SparkState state(seed());
    const auto room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    CHECK(
        state.create_message(state.proxy_id(), {{"roomId", room}, {"text", std::string(7439, 'a')}})
            .status == 200);
    CHECK(
        state.create_message(state.proxy_id(), {{"roomId", room}, {"text", std::string(7440, 'a')}})
            .status == 400);
    // "é" is two bytes: 3,720 of them are 7,440 bytes but only 3,720 characters.
    std::string accents;
    for (int i = 0; i < 3720; ++i) accents += "\xC3\xA9";
    CHECK(
        state.create_message(state.proxy_id(), {{"roomId", room}, {"markdown", accents}}).status ==
        400);
    CHECK(state.create_message(state.proxy_id(), {{"roomId", room}}).status == 400);
    CHECK(state.create_message(state.proxy_id(), {{"roomId", "nope"}, {"text", "x"}}).status ==
          404);
}

TEST_CASE("memberships: adding an existing member answers 409") {
    SparkState state(seed());
    const auto room = state.create_room(state.proxy_id(), {{"title", "r"}}).body["id"];
    CHECK(state
              .create_membership(state.proxy_id(),
                                 {{"roomId", room}, {"personEmail", "alice@sandbox.example"}})
              .status == 200);
    CHECK(state
              .create_membership(state.proxy_id(),
                                 {{"roomId", room}, {"personEmail", "alice@sandbox.example"}})
              .status == 409);
    CHECK(state.list_memberships(state.proxy_id(), {{"roomId", room}}).body["items"].size() == 2);
    CHECK(state.list_team_memberships(state.proxy_id(), {}).status == 400);
}

TEST_CASE("an agent's mention becomes markdown and mentionedPeople, and is delivered as ids") {
    SparkState state(seed());
    std::vector<Delivery> deliveries;
    state.set_delivery_sink([&](Delivery d) { deliveries.push_back(std::move(d)); });
    REQUIRE(state
                .create_webhook(state.proxy_id(), {{"name", "n"},
                                                   {"targetUrl", "http://127.0.0.1:1/h"},
                                                   {"resource", "messages"},
                                                   {"event", "created"},
                                                   {"secret", "k"}})
                .status == 200);
    const std::string room =
        state.admin_create_rooms({{"title", "2088675309"}}).body["items"][0]["id"];
    const Reply posted = state.admin_post(
        room,
        {{"as", "alice@sandbox.example"}, {"text", "psst"}, {"mentions", {"bob@sandbox.example"}}});
    REQUIRE(posted.status == 200);
    CHECK(posted.body["markdown"].get<std::string>().find("<@personEmail:bob@sandbox.example") ==
          0);
    CHECK(posted.body["mentionedPeople"].size() == 1);
    REQUIRE(deliveries.size() == 1);
    const json envelope = json::parse(deliveries[0].body);
    CHECK(envelope["resource"] == "messages");
    CHECK(envelope["data"]["id"] == posted.body["id"]);
    CHECK_FALSE(envelope["data"].contains("text"));  // ids only
    CHECK_FALSE(envelope.contains("secret"));
    CHECK(deliveries[0].secret == "k");

    const Reply history = state.admin_history(room);
    REQUIRE(history.body["items"].size() == 1);
    CHECK(history.body["items"][0]["authorName"] == "Alice Anders");
    // The admin history also says when the sandbox stored it, to the microsecond (benchmarks).
    const auto arrived = history.body["items"][0]["arrivedMicros"].get<long long>();
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    CHECK(arrived <= now);
    CHECK(arrived > now - 60'000'000);

    // Repeated failures deactivate the webhook; a PUT with status active revives it.
    const std::string hook = state.list_webhooks(state.proxy_id(), {}).body["items"][0]["id"];
    for (int i = 0; i < state.failure_limit; ++i) state.delivery_result(hook, false);
    CHECK(state.get_webhook(state.proxy_id(), hook).body["status"] == "inactive");
    state.admin_post(room, {{"as", "bob@sandbox.example"}, {"text", "lost"}});
    CHECK(deliveries.size() == 1);  // inactive webhooks get nothing
    CHECK(state
              .update_webhook(
                  state.proxy_id(), hook,
                  {{"name", "n"}, {"targetUrl", "http://127.0.0.1:1/h"}, {"status", "active"}})
              .body["status"] == "active");
    state.admin_post(room, {{"as", "bob@sandbox.example"}, {"text", "back"}});
    CHECK(deliveries.size() == 2);
}
