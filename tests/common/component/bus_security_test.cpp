// The bus refuses strangers: with CURVE keys configured, only a peer holding a listed client key
// pair and the bus's real public key gets anything through, in either direction. Real bus
// process, real sockets; the strangers are raw ZeroMQ sockets in this process, as an attacker
// on the network would have them.
#include "switchboard/bus_security.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "bus_process.h"
#include "process.h"
#include "switchboard/events.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

// `base` with `over` on top (a setting in both takes over's value).
std::map<std::string, std::string> merged(std::map<std::string, std::string> base,
                                          const std::map<std::string, std::string>& over) {
    for (const auto& [name, value] : over) base[name] = value;
    return base;
}

// Settings that switch CURVE off in a child even when this process's environment has keys.
const std::map<std::string, std::string> kNoKeys = {{"BUS_SERVER_SECRET_KEY", ""},
                                                    {"BUS_CLIENT_PUBLIC_KEYS", ""},
                                                    {"BUS_SERVER_PUBLIC_KEY", ""},
                                                    {"BUS_CLIENT_SECRET_KEY", ""},
                                                    {"BUS_CLIENT_PUBLIC_KEY", ""}};

// What an attacker would publish: a well-formed delivery frame carrying a SendSms, exactly as
// a producer's Node puts it on the wire, so only the bus stands between it and tropo-gateway.
std::string forged_send_sms() {
    SendSms sms{"+12085550123", "You won! Reply with your card number.", ""};
    const std::string envelope =
        json(stamp(make_event(event_type::send_sms, "router", sms.to, sms))).dump();
    return R"({"delivery":{"producer":"stranger","epoch":"e1","seq":1,"base":0},)" +
           envelope.substr(1);
}

// One peer of the bus: a PUB to its XSUB and a SUB (everything) to its XPUB.
struct Peer {
    Peer(zmq::context_t& context, const BusProcess& bus,
         const std::optional<bus_security::ClientKeys>& keys)
        : pub(context, zmq::socket_type::pub), sub(context, zmq::socket_type::sub) {
        for (zmq::socket_t* socket : {&pub, &sub}) {
            socket->set(zmq::sockopt::linger, 0);
            bus_security::secure_client(*socket, keys);
        }
        pub.connect(bus.publish);
        sub.set(zmq::sockopt::subscribe, "");
        sub.connect(bus.subscribe);
    }
    // Every [topic, body] waiting on the SUB, without blocking.
    std::vector<std::pair<std::string, std::string>> drain() {
        std::vector<std::pair<std::string, std::string>> received;
        while (true) {
            std::vector<zmq::message_t> frames;
            if (!zmq::recv_multipart(sub, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
                return received;
            }
            received.emplace_back(frames.front().to_string(),
                                  frames.size() > 1 ? frames[1].to_string() : "");
        }
    }
    void send(const std::string& topic, const std::string& body) {
        (void)pub.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        (void)pub.send(zmq::buffer(body), zmq::send_flags::dontwait);
    }
    zmq::socket_t pub;
    zmq::socket_t sub;
};

double refusals(const BusProcess& bus, const std::vector<std::string>& reasons) {
    double total = 0;
    for (const std::string& reason : reasons) {
        total += std::max(
            0.0, bus.metric("switchboard_bus_peers_refused_total{reason=\"" + reason + "\"}"));
    }
    return total;
}

struct Outcome {
    int legit_received = 0;  // markers the trusted peer got from the trusted peer
    int forged_reached_trusted = 0;
    int stranger_received = 0;  // anything at all on the stranger's SUB
    double refused = 0;         // the bus's refusals for the expected reasons
};

// The stranger and a trusted peer publish side by side. Runs until the bus has refused the
// stranger's two connections (for any of `reasons`, on /metrics) and then until 50 more of the
// trusted peer's markers have crossed, so the bus demonstrably forwarded traffic the whole time.
Outcome publish_side_by_side(const BusProcess& bus, const bus_security::ClientKeys& trusted_keys,
                             const std::optional<bus_security::ClientKeys>& stranger_keys,
                             const std::vector<std::string>& reasons) {
    zmq::context_t context(1);
    Peer trusted(context, bus, trusted_keys);
    Peer stranger(context, bus, stranger_keys);
    const std::string forged = forged_send_sms();
    Outcome outcome;
    int legit_after_refusals = -1;
    int marker = 0;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        stranger.send("sms.send", forged);
        trusted.send("probe.marker", "legit " + std::to_string(++marker));
        zmq::pollitem_t items[] = {{trusted.sub.handle(), 0, ZMQ_POLLIN, 0}};
        zmq::poll(items, 1, 5ms);  // paces the loop; every condition below is checked each time
        for (const auto& [topic, body] : trusted.drain()) {
            if (topic == "probe.marker") ++outcome.legit_received;
            if (topic == "sms.send") ++outcome.forged_reached_trusted;
        }
        outcome.stranger_received += static_cast<int>(stranger.drain().size());
        if (legit_after_refusals < 0 && marker % 20 == 0) {
            outcome.refused = refusals(bus, reasons);
            if (outcome.refused >= 2) legit_after_refusals = outcome.legit_received;
        }
        if (legit_after_refusals >= 0 && outcome.legit_received >= legit_after_refusals + 50) break;
    }
    return outcome;
}

struct SecuredBus {
    std::string dir = make_temp_dir("bus-security");
    BusKeys keys;
    BusProcess bus{dir, free_endpoint(), free_endpoint(), merged(kNoKeys, keys.bus_env())};
};

std::unique_ptr<Process> probe(const std::string& dir, const BusProcess& bus,
                               const std::string& mode, std::vector<std::string> args,
                               const std::map<std::string, std::string>& env) {
    std::vector<std::string> all{mode,         "--pub",       bus.publish,   "--sub", bus.subscribe,
                                 "--data-dir", dir + "/data", "--log-level", "info"};
    all.insert(all.end(), args.begin(), args.end());
    return std::make_unique<Process>(build_dir() + "/tests/delivery_probe", all,
                                     merged(kNoKeys, env), dir + "/" + mode + ".log");
}

size_t lines_in(const std::string& path) {
    std::istringstream in(read_file(path));
    size_t count = 0;
    for (std::string line; std::getline(in, line);) ++count;
    return count;
}

// 300 events producer -> bus -> sink: the producer sees every ack, the sink holds each once.
void deliver_end_to_end(const std::string& dir, const BusProcess& bus,
                        const std::map<std::string, std::string>& env) {
    const std::string sink_path = dir + "/sink.txt";
    auto sink = probe(dir, bus, "sink", {"--instance", "sink", "--out", sink_path}, env);
    auto producer = probe(dir, bus, "produce",
                          {"--instance", "producer", "--count", "300", "--wait-ms", "60000"}, env);
    REQUIRE(producer->wait_exit(90s) == 0);  // 0 only once every event is acknowledged
    REQUIRE(wait_until([&] { return lines_in(sink_path) >= 300; }, 30s));
    sink->terminate();
    CHECK(sink->wait_exit(5s) == 0);
    CHECK(lines_in(sink_path) == 300);
}

}  // namespace

TEST_CASE("with keys, services holding the right keys deliver end to end over CURVE") {
    SecuredBus secured;
    deliver_end_to_end(secured.dir, secured.bus, secured.keys.service_env());
    // Each probe's PUB and SUB went through the ZAP handler; nobody was refused.
    CHECK(secured.bus.metric("switchboard_bus_peers_accepted_total") >= 4);
    CHECK(refusals(secured.bus, {"key_not_accepted", "no_curve", "bad_handshake", "aborted"}) == 0);
    const std::string log = read_file(secured.dir + "/bus.log");
    CHECK(log.find("bus_security=curve") != std::string::npos);
    CHECK(log.find("BUS_SERVER_SECRET_KEY=<set>") != std::string::npos);
    CHECK(log.find(secured.keys.server.secret_key) == std::string::npos);
}

TEST_CASE(
    "with keys, a real service delivers: ingress-web's event reaches its consumer over CURVE") {
    SecuredBus secured;
    const std::string sink_path = secured.dir + "/sink.txt";
    auto consumer =
        probe(secured.dir, secured.bus, "sink",
              {"--instance", "router", "--topic", "customer.message", "--out", sink_path},
              secured.keys.service_env());
    const int web_port = free_port();
    Process web(build_dir() + "/ingress-web", {},
                merged(merged(kNoKeys, secured.keys.service_env()),
                       {{"BUS_PUBLISH_ENDPOINT", secured.bus.publish},
                        {"BUS_SUBSCRIBE_ENDPOINT", secured.bus.subscribe},
                        {"INGRESS_WEB_PORT", std::to_string(web_port)},
                        {"INGRESS_API_TOKEN", "component-test-api-token"},
                        {"DATA_DIR", secured.dir + "/ingress"}}),
                secured.dir + "/ingress-web.log");
    REQUIRE(wait_until([&] { return http_status(web_port, "/healthz") == 200; }, 10s));
    httplib::Client client("127.0.0.1", web_port);
    const auto answer = client.Post(
        "/api/customer_room_message_post/", {{"Authorization", "Bearer component-test-api-token"}},
        R"({"customer_id":"2085550123","text":"over-curve"})", "application/json");
    REQUIRE(answer);
    CHECK(answer->status == 202);
    REQUIRE(wait_until([&] { return read_file(sink_path).find("over-curve") != std::string::npos; },
                       15s));
    CHECK(read_file(sink_path).rfind("+12085550123 over-curve ", 0) == 0);
    const std::string log = read_file(secured.dir + "/ingress-web.log");
    CHECK(log.find("bus_security=curve") != std::string::npos);
    CHECK(log.find("BUS_CLIENT_SECRET_KEY=<set>") != std::string::npos);
    CHECK(log.find(secured.keys.client.secret_key) == std::string::npos);
    web.terminate();
    CHECK(web.wait_exit(5s) == 0);
}

TEST_CASE("with keys, a bus killed and restarted mid-stream loses nothing, and stops on SIGTERM") {
    const std::string dir = make_temp_dir("bus-security-restart");
    const BusKeys keys;
    const std::string pub = free_endpoint();
    const std::string sub = free_endpoint();
    const auto start_bus = [&] {
        return std::make_unique<BusProcess>(dir, pub, sub, merged(kNoKeys, keys.bus_env()));
    };
    auto bus = start_bus();
    const std::string sink_path = dir + "/sink.txt";
    auto sink =
        probe(dir, *bus, "sink", {"--instance", "sink", "--out", sink_path}, keys.service_env());
    auto producer = probe(dir, *bus, "produce",
                          {"--instance", "producer", "--count", "3000", "--wait-ms", "120000"},
                          keys.service_env());
    REQUIRE(wait_until([&] { return lines_in(sink_path) >= 500; }, 60s));
    bus->process.kill9();
    REQUIRE(bus->process.wait_exit(5s));
    bus = start_bus();  // same keys, same ports: the services' CURVE sessions are made anew
    REQUIRE(producer->wait_exit(150s) == 0);
    REQUIRE(wait_until([&] { return lines_in(sink_path) >= 3000; }, 60s));
    CHECK(lines_in(sink_path) == 3000);
    // With clients connected, the ZAP handler and the monitor end with the proxy.
    bus->process.terminate();
    const auto exit_code = bus->process.wait_exit(1000ms);
    REQUIRE_MESSAGE(exit_code, "still running a second after SIGTERM");
    CHECK(*exit_code == 0);
}

TEST_CASE("a peer with no keys gets nothing through the bus and receives nothing") {
    SecuredBus secured;
    const Outcome outcome = publish_side_by_side(secured.bus, secured.keys.client_keys(),
                                                 std::nullopt, {"no_curve", "aborted"});
    CHECK(outcome.refused >= 2);
    CHECK(outcome.legit_received >= 50);
    CHECK(outcome.forged_reached_trusted == 0);
    CHECK(outcome.stranger_received == 0);
    CHECK(read_file(secured.dir + "/bus.log").find("refused a connection") != std::string::npos);
}

TEST_CASE(
    "a peer with a key pair the bus does not list gets nothing through and receives nothing") {
    SecuredBus secured;
    const bus_security::ClientKeys unlisted{secured.keys.server.public_key,
                                            bus_security::generate_key_pair()};
    const Outcome outcome = publish_side_by_side(secured.bus, secured.keys.client_keys(), unlisted,
                                                 {"key_not_accepted"});
    CHECK(outcome.refused >= 2);
    CHECK(outcome.legit_received >= 50);
    CHECK(outcome.forged_reached_trusted == 0);
    CHECK(outcome.stranger_received == 0);
    // The refusal is logged with the key that was turned away.
    CHECK(read_file(secured.dir + "/bus.log").find(unlisted.client.public_key) !=
          std::string::npos);
}

TEST_CASE("a peer with a listed client key but the wrong server key gets nothing through") {
    // As if talking to an impostor bus: the handshake cannot complete with the real one.
    SecuredBus secured;
    bus_security::ClientKeys wrong_server = secured.keys.client_keys();
    wrong_server.server_public = bus_security::generate_key_pair().public_key;
    const Outcome outcome = publish_side_by_side(secured.bus, secured.keys.client_keys(),
                                                 wrong_server, {"bad_handshake"});
    CHECK(outcome.refused >= 2);
    CHECK(outcome.legit_received >= 50);
    CHECK(outcome.forged_reached_trusted == 0);
    CHECK(outcome.stranger_received == 0);
}

TEST_CASE("without keys the bus and its services work in plaintext, and say so") {
    const std::string dir = make_temp_dir("bus-plaintext");
    BusProcess bus(dir, free_endpoint(), free_endpoint(), kNoKeys);
    deliver_end_to_end(dir, bus, {});
    CHECK(read_file(dir + "/bus.log").find("bus_security=none") != std::string::npos);
    CHECK(read_file(dir + "/sink.log").find("bus_security=none") != std::string::npos);
}

TEST_CASE("bad bus key settings stop the bus and the services with exit code 2, naming them") {
    const std::string dir = make_temp_dir("bus-bad-keys");
    const BusKeys keys;
    struct Case {
        const char* what;
        std::map<std::string, std::string> env;
        std::string named;
    };
    const std::vector<Case> bus_cases = {
        {"a malformed secret",
         {{"BUS_SERVER_SECRET_KEY", "too-short"},
          {"BUS_CLIENT_PUBLIC_KEYS", keys.client.public_key}},
         "BUS_SERVER_SECRET_KEY"},
        {"the secret without clients",
         {{"BUS_SERVER_SECRET_KEY", keys.server.secret_key}},
         "BUS_CLIENT_PUBLIC_KEYS"},
        {"clients without the secret",
         {{"BUS_CLIENT_PUBLIC_KEYS", keys.client.public_key}},
         "BUS_SERVER_SECRET_KEY"},
        {"a malformed client key",
         merged(keys.bus_env(), {{"BUS_CLIENT_PUBLIC_KEYS", keys.client.public_key + ",nonsense"}}),
         "BUS_CLIENT_PUBLIC_KEYS"},
        {"a public key of another pair",
         merged(keys.bus_env(), {{"BUS_SERVER_PUBLIC_KEY", keys.client.public_key}}),
         "BUS_SERVER_PUBLIC_KEY"},
        {"plaintext on every interface",
         {{"BUS_PUBLISH_ENDPOINT", "tcp://0.0.0.0:" + std::to_string(free_port())}},
         "BUS_SERVER_SECRET_KEY"},
    };
    for (const Case& c : bus_cases) {
        CAPTURE(c.what);
        const std::string log = dir + "/bus-" + std::to_string(&c - bus_cases.data()) + ".log";
        const auto env =
            merged(merged(kNoKeys, {{"BUS_PORT", std::to_string(free_port())}}), c.env);
        Process bus(build_dir() + "/bus", {}, env, log);
        CHECK(bus.wait_exit(10s) == 2);
        const std::string text = read_file(log);
        CHECK(text.find(c.named) != std::string::npos);
        CHECK(text.find(keys.server.secret_key) == std::string::npos);
    }
    const std::vector<Case> service_cases = {
        {"the server key without a client secret",
         {{"BUS_SERVER_PUBLIC_KEY", keys.server.public_key}},
         "BUS_CLIENT_SECRET_KEY"},
        {"a client secret without the server key",
         {{"BUS_CLIENT_SECRET_KEY", keys.client.secret_key}},
         "BUS_SERVER_PUBLIC_KEY"},
        {"a malformed server key",
         merged(keys.service_env(), {{"BUS_SERVER_PUBLIC_KEY", std::string(40, ' ')}}),
         "BUS_SERVER_PUBLIC_KEY"},
        {"a client public key of another pair",
         merged(keys.service_env(), {{"BUS_CLIENT_PUBLIC_KEY", keys.server.public_key}}),
         "BUS_CLIENT_PUBLIC_KEY"},
    };
    for (const Case& c : service_cases) {
        CAPTURE(c.what);
        const std::string log =
            dir + "/probe-" + std::to_string(&c - service_cases.data()) + ".log";
        const auto env = merged(kNoKeys, c.env);
        Process service(build_dir() + "/tests/delivery_probe",
                        {"sink", "--data-dir", dir + "/data", "--pub", free_endpoint(), "--sub",
                         free_endpoint()},
                        env, log);
        CHECK(service.wait_exit(10s) == 2);
        const std::string text = read_file(log);
        CHECK(text.find(c.named) != std::string::npos);
        CHECK(text.find(keys.client.secret_key) == std::string::npos);
    }
    // A real service reads the same settings through its common configuration.
    const std::string web_log = dir + "/ingress-web.log";
    Process web(build_dir() + "/ingress-web", {},
                merged(kNoKeys, {{"BUS_SERVER_PUBLIC_KEY", keys.server.public_key},
                                 {"INGRESS_WEB_PORT", std::to_string(free_port())},
                                 {"DATA_DIR", dir + "/ingress"}}),
                web_log);
    CHECK(web.wait_exit(10s) == 2);
    CHECK(read_file(web_log).find("BUS_CLIENT_SECRET_KEY is required") != std::string::npos);
}
