// The Webex sandbox's pure parts, table by table: paging, which webhooks a message reaches,
// mentions.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "spark/mentions.h"
#include "spark/paging.h"
#include "spark/webhook_delivery.h"

using namespace sb::sandbox::spark;

namespace {

struct Item {
    std::string key, id;
};

std::vector<std::string> ids_of(const Reply& reply) {
    std::vector<std::string> ids;
    for (const auto& item : reply.body["items"]) ids.push_back(item.get<std::string>());
    return ids;
}

}  // namespace

TEST_CASE("sandbox paging: max is absent, or a whole number from 1 to the limit") {
    const struct {
        const char* max;
        std::optional<int> expected;
    } cases[] = {{"", 100},
                 {"1", 1},
                 {"1000", 1000},
                 {"0", std::nullopt},
                 {"1001", std::nullopt},
                 {"-1", std::nullopt},
                 {"1e3", std::nullopt},
                 {" 5", std::nullopt},
                 {"0000010", std::nullopt},
                 {"000010", 10}};
    for (const auto& c : cases) {
        CAPTURE(c.max);
        CHECK(read_max({{"max", c.max}}, kListPageSize) == c.expected);
    }
    CHECK(read_max({}, kMessagePageSize) == 50);
    CHECK(bad_max(kListPageSize).status == 400);
    CHECK(bad_max(kListPageSize).body["message"] == "max must be a number from 1 to 1000.");
}

TEST_CASE("sandbox paging: cursors round-trip, anything else is refused") {
    const Position position{"2026-01-01T00:00:00.000Z", "Y2lz|id"};
    const auto decoded = decode_cursor(encode_cursor(position));
    REQUIRE(decoded);
    CHECK(decoded->key == position.key);
    CHECK(decoded->id == position.id);
    CHECK_FALSE(decode_cursor("!!"));
    CHECK_FALSE(decode_cursor("Zm9v"));  // "foo": no key/id separator
    CHECK(sequence_key(42) == "00000000000000000042");
    CHECK(sequence_key(9) < sequence_key(10));
}

TEST_CASE("sandbox paging: the next page's query and Link header, as Webex writes them") {
    const std::string query =
        next_page_query({{"teamId", "a b&c"}, {"type", ""}, {"max", "7"}}, {"", "x"}, 2);
    CHECK(query == "cursor=" + encode_cursor({"", "x"}) + "&max=2&teamId=a%20b%26c");
    CHECK(next_link("http://127.0.0.1:8090", "/v1/rooms", "max=2") ==
          "<http://127.0.0.1:8090/v1/rooms?max=2>; rel=\"next\"");
}

TEST_CASE("sandbox paging: pages resume strictly after the last item shown, in either order") {
    const std::vector<Item> items = {{"1", "a"}, {"2", "b"}, {"2", "c"}, {"3", "d"}, {"4", "e"}};
    const auto key_of = [](const Item& item) { return item.key; };
    const auto render = [](const Item& item) { return nlohmann::json(item.id); };
    for (const Order order : {Order::ascending, Order::descending}) {
        std::vector<const Item*> sorted;
        sorted.reserve(items.size());
        for (const Item& item : items) sorted.push_back(&item);
        if (order == Order::descending) std::reverse(sorted.begin(), sorted.end());
        std::vector<std::string> seen;
        Query query = {{"max", "2"}};
        int pages = 0;
        while (true) {
            const Reply reply = page_reply(sorted, query, 2, order, key_of, render);
            REQUIRE(reply.status == 200);
            ++pages;
            for (const auto& id : ids_of(reply)) seen.push_back(id);
            if (reply.next_query.empty()) break;
            const auto at = reply.next_query.find("cursor=") + 7;
            query["cursor"] = reply.next_query.substr(at, reply.next_query.find('&', at) - at);
        }
        CHECK(pages == 3);
        std::vector<std::string> expected;
        expected.reserve(sorted.size());
        for (const Item* item : sorted) expected.push_back(item->id);
        CHECK(seen == expected);
    }
    // The item a cursor points at may be gone: the page starts at the next one in order.
    std::vector<const Item*> without_b = {&items[0], &items[2], &items[3], &items[4]};
    const Reply resumed = page_reply(without_b, {{"cursor", encode_cursor({"2", "b"})}}, 10,
                                     Order::ascending, key_of, render);
    CHECK(ids_of(resumed) == std::vector<std::string>{"c", "d", "e"});
    CHECK(resumed.next_query.empty());
    CHECK(page_reply(without_b, {{"cursor", "!!"}}, 10, Order::ascending, key_of, render).status ==
          400);
}

TEST_CASE("sandbox webhooks: which messages a webhook's filter admits") {
    Person author;
    author.email = "alice@sandbox.example";
    Message message;
    message.room_id = "R";
    message.person_id = "P";
    message.mentioned_people = {"OWNER"};
    const struct {
        const char* filter;
        bool admits;
    } cases[] = {{"", true},
                 {"roomId=R", true},
                 {"roomId=S", false},
                 {"personId=P", true},
                 {"personEmail=alice@sandbox.example", true},
                 {"personEmail=bob@sandbox.example", false},
                 {"roomType=group", true},
                 {"roomType=direct", false},
                 {"mentionedPeople=me", true},
                 {"mentionedPeople=OTHER", false},
                 {"roomId=R&personId=P", true},
                 {"roomId=R&personId=Q", false},
                 {"unknown=1&noequals", true}};
    for (const auto& c : cases) {
        CAPTURE(c.filter);
        Webhook webhook;
        webhook.owner_id = "OWNER";
        webhook.filter = c.filter;
        CHECK(filter_admits(webhook, message, &author, "group") == c.admits);
    }
    Webhook by_email;
    by_email.filter = "personEmail=alice@sandbox.example";
    CHECK_FALSE(filter_admits(by_email, message, nullptr, "group"));  // author unknown
}

TEST_CASE("sandbox webhooks: only active messages/created (or all) webhooks get a delivery") {
    Message message;
    message.id = "M";
    message.room_id = "R";
    message.person_id = "P";
    const struct {
        const char *resource, *event, *status;
        bool delivered;
    } cases[] = {
        {"messages", "created", "active", true},  {"all", "all", "active", true},
        {"messages", "all", "active", true},      {"rooms", "created", "active", false},
        {"messages", "deleted", "active", false}, {"messages", "created", "inactive", false}};
    for (const auto& c : cases) {
        CAPTURE(c.resource);
        CAPTURE(c.event);
        CAPTURE(c.status);
        Webhook webhook;
        webhook.id = "W";
        webhook.target_url = "http://127.0.0.1:1/h";
        webhook.secret = "k";
        webhook.resource = c.resource;
        webhook.event = c.event;
        webhook.status = c.status;
        const auto delivery = delivery_for(webhook, message, nullptr, "group", "ORG");
        REQUIRE(delivery.has_value() == c.delivered);
        if (!delivery) continue;
        CHECK(delivery->webhook_id == "W");
        CHECK(delivery->secret == "k");
        const auto body = nlohmann::json::parse(delivery->body);
        CHECK_FALSE(body.contains("secret"));  // the secret signs; it is never sent
        CHECK(body["actorId"] == "P");
        CHECK(body["data"]["id"] == "M");
        CHECK(body["data"]["personEmail"] == "");
        CHECK_FALSE(body["data"].contains("text"));  // ids only
    }
}

TEST_CASE("sandbox mentions: known people once each, in order, and <@all> as a group") {
    const auto id_of = [](const std::string& key) -> std::optional<std::string> {
        if (key == "alice@sandbox.example" || key == "ALICE") return std::string("ALICE");
        if (key == "bob@sandbox.example") return std::string("BOB");
        return std::nullopt;
    };
    const Mentions found = mentions_in(
        "<@personEmail:bob@sandbox.example|Bob> <@personId:ALICE> <@all> "
        "<@personEmail:alice@sandbox.example|A> <@personEmail:ghost@x> <@all>",
        id_of);
    CHECK(found.people == std::vector<std::string>{"BOB", "ALICE"});
    CHECK(found.groups == std::vector<std::string>{"all", "all"});
    CHECK(mentions_in("no mentions, <@nobody>", id_of).people.empty());
}
