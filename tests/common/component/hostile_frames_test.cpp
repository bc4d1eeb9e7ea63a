// No frame can crash a consumer: hostile frames published onto the real bus process, on a real
// tropo-gateway's ack and reply topics and on the topic it consumes. The gateway stays up,
// dead-letters or drops each frame as the README's delivery contract says, and the next
// legitimate command is still executed and its result still acknowledged.
#include <doctest/doctest.h>
#include <httplib.h>

#include <mutex>
#include <set>
#include <sstream>
#include <zmq.hpp>

#include "bus_process.h"
#include "demo_settings.h"
#include "process.h"
#include "switchboard/delivery.h"
#include "switchboard/topics.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kInstance = "tropo-gateway";

// A value of the gateway's /metrics, or -1 when it does not answer or has no such line.
double metric(int port, const std::string& series) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(2, 0);
    const auto answer = client.Get("/metrics");
    if (!answer || answer->status != 200) return -1;
    std::istringstream lines(answer->body);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

const std::string kControlRejected = "switchboard_delivery_rejected_frames_total{kind=\"control\"}";
const std::string kEventRejected = "switchboard_delivery_rejected_frames_total{kind=\"event\"}";

// The router's side, played by the test: publishes commands, consumes sms.report.
struct RouterStub {
    delivery::Node node;
    std::mutex mutex;
    std::vector<Envelope> results;

    RouterStub(const BusProcess& bus, const std::string& data_dir)
        : node([&] {
              delivery::Options options;
              options.service = "router-stub";
              options.instance = "router-stub";
              options.data_dir = data_dir;
              options.publish_endpoint = bus.publish;
              options.subscribe_endpoint = bus.subscribe;
              options.consume = {std::string(topics::sms_reports)};
              return options;
          }()) {
        node.on_event([this](const delivery::Inbound& inbound, delivery::Transaction&) {
            std::lock_guard lock(mutex);
            results.push_back(inbound.event);
        });
        node.start();
    }
    std::optional<Envelope> result_for(const std::string& command_id) {
        std::lock_guard lock(mutex);
        for (const Envelope& result : results) {
            if (result.correlation_id == command_id) return result;
        }
        return std::nullopt;
    }
};

// Publishes raw frames straight into the bus's XSUB. An XPUB socket sees the subscriptions
// the bus forwards upstream, so a frame is sent only once its subscriber is listening: each
// hostile frame goes out exactly once, and no wait is a guess.
struct RawPublisher {
    zmq::context_t context{1};
    zmq::socket_t socket{context, zmq::socket_type::xpub};
    std::set<std::string> subscriptions;

    explicit RawPublisher(const std::string& endpoint) {
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::rcvtimeo, 50);
        socket.connect(endpoint);
    }
    bool wait_for_subscribers(const std::vector<std::string>& topics) {
        return wait_until(
            [&] {
                zmq::message_t message;
                while (socket.recv(message, zmq::recv_flags::dontwait)) {
                    const std::string text = message.to_string();
                    if (!text.empty() && text[0] == 1) subscriptions.insert(text.substr(1));
                }
                for (const std::string& topic : topics) {
                    if (!subscriptions.count(topic)) return false;
                }
                return true;
            },
            20s);
    }
    void send(const std::vector<std::string>& frames) {
        for (size_t i = 0; i < frames.size(); ++i) {
            socket.send(zmq::buffer(frames[i]),
                        i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
        }
    }
};

Envelope send_sms(const std::string& text) {
    return stamp(make_event(event_type::send_sms, "router-stub", "+12088675309",
                            SendSms{"+12088675309", text, "room-1"}));
}

}  // namespace

TEST_CASE("hostile frames on a gateway's ack, reply and command topics leave it up and working") {
    const std::string dir = make_temp_dir("hostile-frames");
    BusProcess bus(dir);
    const int port = free_port();
    Process gateway(build_dir() + "/tropo-gateway", {},
                    {{"TROPO_GATEWAY_PORT", std::to_string(port)},
                     {"BUS_PUBLISH_ENDPOINT", bus.publish},
                     {"BUS_SUBSCRIBE_ENDPOINT", bus.subscribe},
                     {"DATA_DIR", dir + "/gateway"},
                     {"INSTANCE_ID", kInstance},
                     {"TROPO_KEY", "test-key"},
                     // Nothing listens there: the one command below never needs Tropo.
                     {"TROPO_API_URL", "http://127.0.0.1:" + std::to_string(free_port())},
                     {"CUSTOMER_SERVICE_REDIRECT_DN", demo().redirect_number}},
                    dir + "/gateway.log");
    REQUIRE(wait_until([&] { return http_status(port, "/healthz") == 200; }, 10s));

    // Sees the acks the gateway sends to a forged producer.
    zmq::context_t context{1};
    zmq::socket_t rogue_acks(context, zmq::socket_type::sub);
    rogue_acks.set(zmq::sockopt::linger, 0);
    rogue_acks.set(zmq::sockopt::rcvtimeo, 50);
    rogue_acks.set(zmq::sockopt::subscribe, topics::acks_for("rogue"));
    rogue_acks.connect(bus.subscribe);

    RawPublisher raw(bus.publish);
    const std::string ack_topic = topics::acks_for(kInstance);
    // Replies come to the intake node, named by the slot it leases (README, "Partitions and
    // replicas"); acks and commands to the partition, named INSTANCE_ID.
    const std::string reply_topic = topics::replies_for(std::string(kInstance) + ".s0");
    const std::string command_topic(topics::sms_to_send);
    REQUIRE(raw.wait_for_subscribers(
        {ack_topic, reply_topic, command_topic, topics::acks_for("rogue")}));

    // Control frames: dropped and counted. The first two each aborted every consumer on main
    // (nlohmann::type_error on the delivery I/O thread).
    const std::vector<std::vector<std::string>> control = {
        {ack_topic, R"({"epoch": 5})"},
        {ack_topic,
         R"({"consumer":"router","topic":"sms.report","epoch":"e","seq":1,"gap":"yes"})"},
        {ack_topic, R"({"consumer":"router","topic":"sms.report","epoch":"e","seq":-1})"},
        {ack_topic, R"({"consumer":"router","topic":"sms.report","epoch":"e","seq":1e300})"},
        {ack_topic, "[1,2,3]"},
        {ack_topic, "\xff\xfe not even text"},
        {ack_topic, std::string(5000, '[') + std::string(5000, ']')},
        {ack_topic, "{}", "a third frame"},
        {reply_topic, R"({"id": 5, "type": "CallDecision"})"},
    };
    double control_seen = 0;
    for (const auto& frames : control) {
        CAPTURE(frames.at(1).substr(0, 80));
        raw.send(frames);
        ++control_seen;
        wait_until(
            [&] { return !gateway.running() || metric(port, kControlRejected) >= control_seen; },
            10s);
        REQUIRE_MESSAGE(gateway.running(), read_file(dir + "/gateway.log"));
        REQUIRE(metric(port, kControlRejected) >= control_seen);
    }

    // Frames on the consumed topic: dead-lettered. The last one has a sound header, so it holds
    // a place in its stream: it is also acknowledged, and the forged producer would move on.
    json bad_command = json(send_sms("hello"));
    bad_command["payload"]["to"] = 12088675309LL;
    bad_command["delivery"] = {{"producer", "rogue"}, {"epoch", "e1"}, {"seq", 1}, {"base", 1}};
    json bad_header = json(send_sms("hello"));
    bad_header["delivery"] = {{"producer", "rogue"}, {"epoch", "e1"}, {"seq", "1"}, {"base", 1}};
    const std::vector<std::string> events = {
        "not json",
        json(send_sms("no delivery header")).dump(),
        bad_header.dump(),
        bad_command.dump(),
    };
    double events_seen = 0;
    for (const std::string& body : events) {
        CAPTURE(body.substr(0, 80));
        raw.send({command_topic, body});
        ++events_seen;
        wait_until(
            [&] { return !gateway.running() || metric(port, kEventRejected) >= events_seen; }, 10s);
        REQUIRE_MESSAGE(gateway.running(), read_file(dir + "/gateway.log"));
        REQUIRE(metric(port, kEventRejected) >= events_seen);
    }
    bool acked = false;
    CHECK(wait_until(
        [&] {
            zmq::message_t topic, body;
            if (!rogue_acks.recv(topic)) return false;
            (void)rogue_acks.recv(body);
            const json ack = json::parse(body.to_string(), nullptr, false);
            acked = ack.is_object() && ack.value("seq", json()) == 1;
            return acked;
        },
        10s));
    const std::string letters = read_file(dir + "/gateway/" + kInstance + ".dead-letters.jsonl");
    CHECK(letters.find("not valid JSON") != std::string::npos);
    CHECK(letters.find("no delivery header") != std::string::npos);
    CHECK(letters.find("delivery.seq must be an integer") != std::string::npos);
    CHECK(letters.find("to must be a string") != std::string::npos);
    const std::string log = read_file(dir + "/gateway.log");
    CHECK(log.find("dropped a malformed ack: ack.gap must be a boolean") != std::string::npos);
    CHECK(log.find("dropped a malformed reply") != std::string::npos);

    // Still up, and still working: a legitimate command right after is executed (too long to
    // send, so the gateway reports the failure without calling Tropo), its result reaches the
    // router and the router's ack reaches the gateway on the topic the hostile acks used.
    CHECK(http_status(port, "/healthz") == 200);
    const std::string data_dir = dir + "/router-stub";
    RouterStub router(bus, data_dir);
    const Envelope command = send_sms(std::string(31 * 160, 'a'));
    router.node.publish(topics::sms_to_send, command);
    REQUIRE(wait_until([&] { return router.result_for(command.id).has_value(); }, 20s));
    const auto report = router.result_for(command.id)->payload_as<DeliveryReport>();
    CHECK(report.status == "failed");
    CHECK(report.reason.find("text too long") != std::string::npos);
    CHECK(wait_until([&] { return router.node.stats().pending_out == 0; }, 10s));
    CHECK(wait_until([&] { return metric(port, "switchboard_delivery_pending_out") == 0; }, 10s));
    // Nothing even had to be caught: every frame was judged by the decoders.
    CHECK(metric(port, "switchboard_exceptions_caught_total") == 0);
    CHECK(metric(port, "switchboard_delivery_thread_failures_total") == 0);
    CHECK(gateway.running());

    router.node.stop();
    gateway.terminate();
    CHECK(gateway.wait_exit(5s) == 0);
}

namespace {

// spark-gateway's side of the router, played by the test: answers the directory sync with an
// empty team, and records the commands the router sends.
struct SparkStub {
    delivery::Node node;
    std::mutex mutex;
    std::vector<Envelope> commands;

    SparkStub(const BusProcess& bus, const std::string& data_dir)
        : node([&] {
              delivery::Options options;
              options.service = "spark-stub";
              options.instance = "spark-stub";
              options.data_dir = data_dir;
              options.publish_endpoint = bus.publish;
              options.subscribe_endpoint = bus.subscribe;
              options.consume = {std::string(topics::spark_commands)};
              return options;
          }()) {
        node.on_event([this](const delivery::Inbound& inbound, delivery::Transaction& tx) {
            std::lock_guard lock(mutex);
            commands.push_back(inbound.event);
            if (inbound.event.type != event_type::list_rooms) return;
            RoomsPage page;
            page.sync_id = inbound.event.payload_as<ListRooms>().sync_id;
            page.last = true;
            tx.publish(topics::spark_results,
                       make_event(event_type::rooms_page, "spark-stub", inbound.event.key, page,
                                  inbound.event.id));
        });
        node.start();
    }
    bool saw_create_room_for(const std::string& customer) {
        std::lock_guard lock(mutex);
        for (const Envelope& command : commands) {
            if (command.type == event_type::create_room &&
                command.payload_as<CreateRoom>().customer == customer) {
                return true;
            }
        }
        return false;
    }
};

}  // namespace

TEST_CASE("hostile frames on the router's ack and consumed topics leave it up and routing") {
    const std::string dir = make_temp_dir("hostile-router");
    BusProcess bus(dir);
    SparkStub spark(bus, dir + "/spark-stub");
    const int port = free_port();
    Process router(build_dir() + "/router", {},
                   {{"ROUTER_PORT", std::to_string(port)},
                    {"SPARK_AGENT_TEAM_ID", "team"},
                    {"BUS_PUBLISH_ENDPOINT", bus.publish},
                    {"BUS_SUBSCRIBE_ENDPOINT", bus.subscribe},
                    {"DATA_DIR", dir + "/router"},
                    {"INSTANCE_ID", "router"},
                    {"ROUTER_ASSIGN_AGENTS", "false"},
                    {"CUSTOMER_SERVICE_REDIRECT_DN", demo().redirect_number}},
                   dir + "/router.log");
    // Ready once the stub has answered its directory sync.
    REQUIRE(wait_until([&] { return http_status(port, "/healthz") == 200; }, 20s));

    RawPublisher raw(bus.publish);
    const std::string ack_topic = topics::acks_for("router");
    REQUIRE(raw.wait_for_subscribers({ack_topic, std::string(topics::customer_messages),
                                      std::string(topics::agent_messages),
                                      std::string(topics::spark_results)}));
    const std::vector<std::vector<std::string>> control = {
        {ack_topic, R"({"epoch": 5})"},
        {ack_topic, R"({"consumer":"x","topic":"spark.command","epoch":"e","seq":0,"gap":"yes"})"},
    };
    double control_seen = 0;
    for (const auto& frames : control) {
        CAPTURE(frames.at(1));
        raw.send(frames);
        ++control_seen;
        wait_until(
            [&] { return !router.running() || metric(port, kControlRejected) >= control_seen; },
            10s);
        REQUIRE_MESSAGE(router.running(), read_file(dir + "/router.log"));
        REQUIRE(metric(port, kControlRejected) >= control_seen);
    }
    json bad_message = json(stamp(make_event(event_type::customer_message, "rogue", "k",
                                             json{{"customer", "+12088675309"},
                                                  {"channel", "sms"},
                                                  {"received_at", "2026-12-01T00:00:00Z"},
                                                  {"text", json::array({"hi"})}})));
    bad_message["delivery"] = {{"producer", "rogue"}, {"epoch", "e1"}, {"seq", 1}, {"base", 1}};
    const std::vector<std::vector<std::string>> events = {
        {std::string(topics::customer_messages), bad_message.dump()},
        {std::string(topics::customer_messages), R"({"delivery":{"seq":{"n":1}}})"},
        {std::string(topics::agent_messages), std::string(100000, '{')},
        {std::string(topics::spark_results), "\xc3\x28 not UTF-8"},
    };
    double events_seen = 0;
    for (const auto& frames : events) {
        CAPTURE(frames.at(1).substr(0, 80));
        raw.send(frames);
        ++events_seen;
        wait_until([&] { return !router.running() || metric(port, kEventRejected) >= events_seen; },
                   10s);
        REQUIRE_MESSAGE(router.running(), read_file(dir + "/router.log"));
        REQUIRE(metric(port, kEventRejected) >= events_seen);
    }
    const std::string letters = read_file(dir + "/router/router.dead-letters.jsonl");
    CHECK(letters.find("text must be a string") != std::string::npos);
    CHECK(letters.find("delivery.producer is missing") != std::string::npos);
    CHECK(letters.find("nested deeper than") != std::string::npos);
    CHECK(letters.find("not valid JSON") != std::string::npos);

    // Still ready, and still routing: a new customer's SMS right after makes the router ask
    // for their room.
    CHECK(http_status(port, "/healthz") == 200);
    CustomerMessage sms;
    sms.customer = "+12085550111";
    sms.channel = "sms";
    sms.text = "still there?";
    sms.received_at = "2026-12-01T09:00:00Z";
    spark.node.publish(topics::customer_messages,
                       make_event(event_type::customer_message, "spark-stub", sms.customer, sms));
    CHECK(wait_until([&] { return spark.saw_create_room_for(sms.customer); }, 20s));
    CHECK(metric(port, "switchboard_exceptions_caught_total") == 0);
    CHECK(router.running());
    spark.node.stop();
    router.terminate();
    CHECK(router.wait_exit(5s) == 0);
}
