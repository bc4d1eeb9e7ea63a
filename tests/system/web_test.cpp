// DESIGN §2.4 / issue 6: the website's contact form and JSON API reach the customer's room.
#include <doctest/doctest.h>

#include "steps.h"

using namespace sb::testing;

TEST_CASE("web form: a submission lands in the customer's room with the email shown") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const auto answer = system.submit_contact_form({{"name", "Jane Roe"},
                                                    {"email", "jane.roe@example.com"},
                                                    {"phone", "(208) 555-0150"},
                                                    {"message", "Do you ship to Boise?"},
                                                    {"website_check", ""}});
    REQUIRE(answer);
    REQUIRE_MESSAGE(answer->status == 303, answer->status << " " << answer->body);
    CHECK(answer->get_header_value("Location").find("/contact/thanks/") != std::string::npos);

    const std::string room = wait_for_room(system, "2085550150");
    wait_for_posts(system, room, "Do you ship to Boise?");
    const auto inbox = wait_for_inbox(system, "+12085550150", 1);
    require_eventually(
        system,
        [&] {
            return system.metric("router", "switchboard_router_messages_routed_total",
                                 "direction=\"to_room\"") == 1;
        },
        "the router counted the post");

    const auto posts = posts_containing(sandbox.bridge_posts(room), "Do you ship to Boise?");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].find("jane.roe@example.com") != std::string::npos);
    CHECK(posts[0].find("Web") != std::string::npos);
    CHECK(time_in(posts[0]));
    CHECK(welcomes_in(inbox) == 1);
    CHECK(sandbox.rooms_titled("2085550150").size() == 1);

    // The customer answers by SMS: same room.
    sandbox.text("+12085550150", "Thanks for the quick answer");
    wait_for_posts(system, room, "Thanks for the quick answer");
    CHECK(sandbox.rooms().size() == 2);
}

TEST_CASE(
    "JSON API: a call lands in the customer's room and one for a known customer joins theirs") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const auto accepted = system.post_json(
        "ingress-web", "/api/customer_room_message_post/",
        {{"customer_id", "+12085550151"}, {"text", "Order 5521 was delayed by the carrier"}});
    REQUIRE(accepted);
    REQUIRE_MESSAGE((accepted->status == 202 || accepted->status == 200), accepted->body);

    const std::string room = wait_for_room(system, "2085550151");
    wait_for_posts(system, room, "Order 5521 was delayed by the carrier");
    const auto posts =
        posts_containing(sandbox.bridge_posts(room), "Order 5521 was delayed by the carrier");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].find("API") != std::string::npos);

    // An existing customer (from an SMS) gets the API message in their room, no new room.
    sandbox.text("+12085550152", "I am a texting customer");
    const std::string known = wait_for_room(system, "2085550152");
    wait_for_inbox(system, "+12085550152", 1);
    const auto again = system.post_json(
        "ingress-web", "/api/customer_room_message_post/",
        {{"customer_id", "2085550152"}, {"markdown", "Your **invoice** is ready"}});
    REQUIRE(again);
    REQUIRE_MESSAGE((again->status == 202 || again->status == 200), again->body);
    wait_for_posts(system, known, "invoice");
    sandbox.post(known, kAlice, {{"text", "Any questions about it"}});
    const auto inbox = wait_for_inbox(system, "+12085550152", 2);

    CHECK(sandbox.rooms_titled("2085550152").size() == 1);
    CHECK(sandbox.rooms().size() == 3);
    CHECK(count_containing(sandbox.bridge_posts(known), "invoice") == 1);
    CHECK(welcomes_in(inbox) == 1);
    CHECK(inbox.size() == 2);
}
