// DESIGN §2 rules 1-2: the room titles are the directory, read across every page, and one
// customer never gets two rooms, even when a burst of new customers writes at once.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "steps.h"

using namespace sb::testing;

TEST_CASE("directory: pre-existing rooms across several pages are found with no duplicate room") {
    // Small pages so the directory takes several of them.
    System system({"bus", "sandbox"}, {{"SPARK_ROOMS_PAGE_SIZE", "40"}});
    const SandboxClient sandbox = system.sandbox();
    std::vector<std::string> titles;
    for (int i = 0; i < 150; ++i) {
        if (i == 75) titles.push_back("VIP Jane Roe 2085550109");  // a renamed room, mid-list
        if (i == 20) titles.push_back("Team lounge");              // no number: not a customer
        titles.push_back(std::to_string(2085551000 + i));
    }
    titles.push_back("Ana Lima +447911123456");  // the newest room: on the last page
    sandbox.create_rooms(titles);
    const size_t rooms_before = sandbox.rooms().size();
    REQUIRE(rooms_before == titles.size() + 1);  // and the team's general room

    for (const std::string& service : {std::string("spark-gateway"), system.gateway(),
                                       std::string("router"), std::string("ingress-web")}) {
        system.start(service);
    }
    // The first sync read every page (the router is healthy only after it).
    CHECK(number_of(sandbox.spark_stats()["calls"], "GET rooms") >= 4);

    const std::string jane = sandbox.room_id("VIP Jane Roe 2085550109");
    const std::string ana = sandbox.room_id("Ana Lima +447911123456");
    sandbox.text("+12085550109", "Jane here again");
    sandbox.text("+447911123456", "Ana here again");
    wait_for_posts(system, jane, "Jane here again");
    wait_for_posts(system, ana, "Ana here again");
    // Existing customers are not new: the agent's reply is the only SMS they get.
    sandbox.post(jane, kAlice, {{"text", "Welcome back Jane"}});
    sandbox.post(ana, kAlice, {{"text", "Welcome back Ana"}});
    const auto jane_inbox = wait_for_inbox(system, "+12085550109", 1);
    const auto ana_inbox = wait_for_inbox(system, "+447911123456", 1);

    CHECK(sandbox.rooms().size() == rooms_before);
    CHECK(sandbox.rooms_titled("2085550109").empty());
    CHECK(sandbox.rooms_titled("+447911123456").empty());
    CHECK(count_containing(sandbox.bridge_posts(jane), "Jane here again") == 1);
    CHECK(count_containing(sandbox.bridge_posts(ana), "Ana here again") == 1);
    CHECK(jane_inbox == std::vector<std::string>{"Welcome back Jane"});
    CHECK(ana_inbox == std::vector<std::string>{"Welcome back Ana"});
    CHECK(system.metric("router", "switchboard_router_rooms_created_total") == 0);
    CHECK(system.metric("router", "switchboard_router_welcomes_total") == 0);
    CHECK(system.metric("router", "switchboard_router_customers_known") >= 152);
}

TEST_CASE(
    "burst: 10 new customers x 5 simultaneous SMS make 10 rooms and 50 posts in order "
    "and 10 welcomes") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const size_t rooms_before = sandbox.rooms().size();
    constexpr int kCustomers = 10;
    constexpr int kMessages = 5;
    const auto number = [](int customer) { return "+1208555012" + std::to_string(customer); };
    const auto title = [](int customer) { return "208555012" + std::to_string(customer); };
    const auto text = [](int customer, int message) {
        return "customer " + std::to_string(customer) + " message " + std::to_string(message);
    };

    // Every customer's phone fires its five texts back to back, all phones at the same moment.
    std::atomic<bool> go{false};
    std::atomic<int> failures{0};
    std::vector<std::thread> phones;
    phones.reserve(kCustomers);
    for (int customer = 0; customer < kCustomers; ++customer) {
        phones.emplace_back([&, customer] {
            while (!go.load()) std::this_thread::yield();
            for (int message = 0; message < kMessages; ++message) {
                try {
                    sandbox.text(number(customer), text(customer, message));
                } catch (...) {
                    ++failures;
                }
            }
        });
    }
    go = true;
    for (std::thread& phone : phones) phone.join();
    REQUIRE(failures == 0);

    require_eventually(
        system,
        [&] {
            for (int customer = 0; customer < kCustomers; ++customer) {
                const auto rooms = sandbox.rooms_titled(title(customer));
                if (rooms.empty()) return false;
                const auto posts = sandbox.bridge_posts(rooms[0]["id"]);
                if (count_containing(posts, "customer " + std::to_string(customer) + " message ") <
                    kMessages) {
                    return false;
                }
                if (sandbox.inbox(number(customer)).empty()) return false;
            }
            return true;
        },
        "every customer's room with five posts and a welcome", std::chrono::seconds(180));
    require_eventually(
        system,
        [&] {
            return system.metric("router", "switchboard_router_welcomes_total") == kCustomers &&
                   system.metric("router", "switchboard_router_messages_routed_total",
                                 "direction=\"to_room\"") == kCustomers * kMessages;
        },
        "the router counted 10 welcomes and 50 posts");

    CHECK(sandbox.rooms().size() == rooms_before + kCustomers);
    int total_posts = 0;
    for (int customer = 0; customer < kCustomers; ++customer) {
        CAPTURE(customer);
        const auto rooms = sandbox.rooms_titled(title(customer));
        REQUIRE(rooms.size() == 1);
        const auto posts = posts_containing(sandbox.bridge_posts(rooms[0]["id"]),
                                            "customer " + std::to_string(customer) + " message ");
        REQUIRE(posts.size() == kMessages);
        for (int message = 0; message < kMessages; ++message) {
            CHECK(posts[message].find(text(customer, message)) != std::string::npos);
        }
        total_posts += static_cast<int>(posts.size());
        const auto inbox = sandbox.inbox(number(customer));
        CHECK(inbox.size() == 1);
        CHECK(welcomes_in(inbox) == 1);
    }
    CHECK(total_posts == kCustomers * kMessages);
    CHECK(system.metric("router", "switchboard_router_rooms_created_total") == kCustomers);
}
