// A handler's durable memory (Transaction::remember/forget, Node::memory): kept in the journal
// with the rest of its transaction, given back after a restart in the order remembered, and
// carried through the compacted journal a start writes.
#include <doctest/doctest.h>

#include <filesystem>

#include "in_process_bus.h"
#include "process.h"
#include "switchboard/delivery.h"
#include "switchboard/time_format.h"

using namespace sb;
using namespace std::chrono_literals;

namespace {

using Bus = testing::InProcessBus;
using testing::options_for;
constexpr auto event_for = testing::customer_event;

std::vector<std::string> keys_of(const delivery::Node& node) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : node.memory()) keys.push_back(key);
    return keys;
}

}  // namespace

TEST_CASE("a handler's memory survives restarts, in order, with its forgets") {
    Bus bus;
    const auto dir = std::filesystem::path(testing::make_temp_dir("delivery-memory"));
    {
        delivery::Node node(options_for(bus, "keeper", dir, {"test.topic"}));
        // What a handler remembers rides in the batch's one commit.
        node.on_event([](const delivery::Inbound& inbound, delivery::Transaction& tx) {
            tx.remember("seen." + inbound.event.payload_as<CustomerMessage>().text);
        });
        node.start();
        CHECK(node.memory().empty());
        delivery::Transaction first;
        first.remember("a", 1);
        first.remember("b");
        first.remember("c", json{{"x", "y"}});
        node.commit(std::move(first));
        delivery::Transaction second;
        second.forget("b");
        second.remember("a", 2);  // again: now the newest, with its new value
        second.forget("never-there");
        node.commit(std::move(second));
        CHECK(keys_of(node) == std::vector<std::string>{"c", "a"});

        delivery::Node producer(options_for(bus, "producer", dir));
        producer.start();
        producer.publish("test.topic", event_for("m1"));
        REQUIRE(testing::wait_until([&] { return node.memory().size() == 3; }, 10s));
    }
    // Recovered from the transaction records, then written again as a compact journal...
    {
        delivery::Node node(options_for(bus, "keeper", dir));
        node.start();
        CHECK(keys_of(node) == std::vector<std::string>{"c", "a", "seen.m1"});
        const auto memory = node.memory();
        CHECK(memory[0].second == json{{"x", "y"}});
        CHECK(memory[1].second == 2);
        CHECK(memory[2].second.is_null());
        delivery::Transaction forget;
        forget.forget("c");
        node.commit(std::move(forget));
    }
    // ...which a second restart reads back the same.
    delivery::Node node(options_for(bus, "keeper", dir));
    node.start();
    CHECK(keys_of(node) == std::vector<std::string>{"a", "seen.m1"});
}
