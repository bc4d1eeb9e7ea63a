// The bus's security decisions without sockets: key settings, the ZAP answer, which monitor
// events are refusals, and the throttle on refusal log lines.
#include "switchboard/bus_security.h"

#include <doctest/doctest.h>
#include <zmq.h>

#include "handshake_monitor.h"
#include "log_throttle.h"
#include "zap_decision.h"

using namespace sb;
using namespace sb::bus_security;

namespace {

const KeyPair kServer = generate_key_pair();
const KeyPair kClient = generate_key_pair();

std::string error_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("this libzmq has CURVE, and generated keys are Z85 pairs that belong together") {
    REQUIRE(curve_available());
    CHECK(is_z85_key(kServer.public_key));
    CHECK(is_z85_key(kServer.secret_key));
    CHECK(public_key_of(kServer.secret_key) == kServer.public_key);
    CHECK(kServer.public_key != kClient.public_key);
    CHECK(decode_key(kClient.public_key).size() == 32);
    CHECK_FALSE(is_z85_key(""));
    CHECK_FALSE(is_z85_key(std::string(39, 'a')));
    CHECK_FALSE(is_z85_key(std::string(41, 'a')));
    CHECK_FALSE(is_z85_key(std::string(40, ' ')));
    CHECK_FALSE(is_z85_key(std::string(39, 'a') + "'"));
    CHECK_FALSE(is_z85_key(std::string(40, '#')));  // the alphabet, but past 2^32 per group
}

TEST_CASE(
    "a service's key settings: none is plaintext, both halves are CURVE, anything else stops it") {
    CHECK_FALSE(read_client_keys(Environment({})).has_value());
    const auto keys =
        read_client_keys(Environment({{"BUS_SERVER_PUBLIC_KEY", kServer.public_key},
                                      {"BUS_CLIENT_SECRET_KEY", kClient.secret_key}}));
    REQUIRE(keys.has_value());
    CHECK(keys->server_public == kServer.public_key);
    CHECK(keys->client.public_key == kClient.public_key);  // derived from the secret

    struct Case {
        Environment::Values env;
        std::string named;  // the variable the error must start with
    };
    const std::vector<Case> cases = {
        {{{"BUS_SERVER_PUBLIC_KEY", kServer.public_key}}, "BUS_CLIENT_SECRET_KEY"},
        {{{"BUS_CLIENT_SECRET_KEY", kClient.secret_key}}, "BUS_SERVER_PUBLIC_KEY"},
        {{{"BUS_CLIENT_PUBLIC_KEY", kClient.public_key}}, "BUS_SERVER_PUBLIC_KEY"},
        {{{"BUS_SERVER_PUBLIC_KEY", "short"}, {"BUS_CLIENT_SECRET_KEY", kClient.secret_key}},
         "BUS_SERVER_PUBLIC_KEY"},
        {{{"BUS_SERVER_PUBLIC_KEY", kServer.public_key}, {"BUS_CLIENT_SECRET_KEY", "x"}},
         "BUS_CLIENT_SECRET_KEY"},
        {{{"BUS_SERVER_PUBLIC_KEY", kServer.public_key},
          {"BUS_CLIENT_SECRET_KEY", kClient.secret_key},
          {"BUS_CLIENT_PUBLIC_KEY", kServer.public_key}},
         "BUS_CLIENT_PUBLIC_KEY"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.named);
        const std::string error = error_of([&] { read_client_keys(Environment(c.env)); });
        CHECK(error.rfind(c.named, 0) == 0);
        CHECK(error.find(kClient.secret_key) == std::string::npos);  // never the secret
    }
}

TEST_CASE("the bus's key settings: a list of clients, checked and de-duplicated") {
    CHECK_FALSE(read_server_keys(Environment({})).has_value());
    const auto keys = read_server_keys(Environment(
        {{"BUS_SERVER_SECRET_KEY", kServer.secret_key},
         {"BUS_SERVER_PUBLIC_KEY", kServer.public_key},
         {"BUS_CLIENT_PUBLIC_KEYS",
          " " + kClient.public_key + " ,," + kServer.public_key + "," + kClient.public_key}}));
    REQUIRE(keys.has_value());
    CHECK(keys->server.public_key == kServer.public_key);
    CHECK(keys->accepted_clients ==
          std::vector<std::string>{kClient.public_key, kServer.public_key});

    struct Case {
        Environment::Values env;
        std::string named;
    };
    const std::vector<Case> cases = {
        {{{"BUS_SERVER_SECRET_KEY", kServer.secret_key}}, "BUS_CLIENT_PUBLIC_KEYS"},
        {{{"BUS_SERVER_SECRET_KEY", kServer.secret_key}, {"BUS_CLIENT_PUBLIC_KEYS", " , "}},
         "BUS_CLIENT_PUBLIC_KEYS"},
        {{{"BUS_CLIENT_PUBLIC_KEYS", kClient.public_key}}, "BUS_SERVER_SECRET_KEY"},
        {{{"BUS_SERVER_SECRET_KEY", "nope"}, {"BUS_CLIENT_PUBLIC_KEYS", kClient.public_key}},
         "BUS_SERVER_SECRET_KEY"},
        {{{"BUS_SERVER_SECRET_KEY", kServer.secret_key},
          {"BUS_CLIENT_PUBLIC_KEYS", kClient.public_key + ",bad"}},
         "BUS_CLIENT_PUBLIC_KEYS entry 2"},
        {{{"BUS_SERVER_SECRET_KEY", kServer.secret_key},
          {"BUS_SERVER_PUBLIC_KEY", kClient.public_key},
          {"BUS_CLIENT_PUBLIC_KEYS", kClient.public_key}},
         "BUS_SERVER_PUBLIC_KEY"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.named);
        const std::string error = error_of([&] { read_server_keys(Environment(c.env)); });
        CHECK(error.rfind(c.named, 0) == 0);
        CHECK(error.find(kServer.secret_key) == std::string::npos);
    }
}

TEST_CASE("the start-up line shows public keys and whether CURVE is on, never a secret") {
    const auto plain = describe_settings(describe(std::optional<ClientKeys>{}));
    CHECK(plain == "bus_security=none(plaintext,unauthenticated)");
    const auto client = describe_settings(describe(ClientKeys{kServer.public_key, kClient}));
    CHECK(client.find("bus_security=curve") != std::string::npos);
    CHECK(client.find(kServer.public_key) != std::string::npos);
    CHECK(client.find("BUS_CLIENT_SECRET_KEY=<set>") != std::string::npos);
    CHECK(client.find(kClient.secret_key) == std::string::npos);
    const auto server = describe_settings(describe(ServerKeys{kServer, {kClient.public_key}}));
    CHECK(server.find("BUS_SERVER_SECRET_KEY=<set>") != std::string::npos);
    CHECK(server.find(kServer.secret_key) == std::string::npos);
}

TEST_CASE("generated .env lines read back as the keys, through a shell's quoting too") {
    const auto values = Environment::parse_dotenv(generated_env_lines(kServer, kClient));
    const Environment env(values);
    CHECK(read_server_keys(env)->server.public_key == kServer.public_key);
    CHECK(read_client_keys(env)->client.public_key == kClient.public_key);
    for (const auto& [name, value] : values) CHECK(is_z85_key(value));
}

TEST_CASE("plaintext is allowed only on endpoints nobody else can reach") {
    const std::vector<std::pair<std::string, bool>> cases = {
        {"tcp://127.0.0.1:5550", true}, {"tcp://127.0.0.2:5550", true},
        {"tcp://localhost:5550", true}, {"tcp://[::1]:5550", true},
        {"ipc:///tmp/bus", true},       {"inproc://bus", true},
        {"tcp://0.0.0.0:5550", false},  {"tcp://*:5550", false},
        {"tcp://eth0:5550", false},     {"tcp://10.0.0.5:5550", false},
        {"tcp://[::]:5550", false},     {"tcp://127.evil.example:1", false},
    };
    for (const auto& row : cases) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& endpoint = row.first;
        const auto& loopback = row.second;
        CAPTURE(endpoint);
        CHECK(is_loopback_endpoint(endpoint) == loopback);
    }
}

TEST_CASE("ZAP: only CURVE with a listed key in the bus's domain is let in") {
    const std::set<std::string> accepted{decode_key(kClient.public_key)};
    const std::string listed = decode_key(kClient.public_key);
    const std::string unlisted = decode_key(kServer.public_key);
    const std::string domain(kZapDomain);
    struct Case {
        std::vector<std::string> request;
        std::string status;
    };
    const std::vector<Case> cases = {
        {{"1.0", "7", domain, "10.0.0.9", "", "CURVE", listed}, "200"},
        {{"1.0", "7", domain, "10.0.0.9", "", "CURVE", unlisted}, "400"},
        {{"1.0", "7", "other", "10.0.0.9", "", "CURVE", listed}, "400"},
        {{"1.0", "7", domain, "10.0.0.9", "", "NULL"}, "400"},
        {{"1.0", "7", domain, "10.0.0.9", "", "PLAIN", "user", "pass"}, "400"},
        {{"1.0", "7", domain, "10.0.0.9", "", "CURVE", "short"}, "400"},
        {{"2.0", "7", domain, "10.0.0.9", "", "CURVE", listed}, "500"},
        {{"1.0", "7"}, "500"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.request.size());
        CAPTURE(c.status);
        const bus::ZapDecision decision = bus::decide_zap(c.request, accepted);
        REQUIRE(decision.reply.size() == 6);
        CHECK(decision.reply[0] == "1.0");
        CHECK(decision.reply[1] == "7");  // the request id is echoed, always
        CHECK(decision.reply[2] == c.status);
        CHECK(decision.accepted == (c.status == "200"));
        CHECK(decision.reason.empty() == decision.accepted);
    }
    const auto granted = bus::decide_zap(cases[0].request, accepted);
    CHECK(granted.reply[4] == kClient.public_key);  // the user id names the client
    const auto refused = bus::decide_zap(cases[1].request, accepted);
    CHECK(refused.client_key == kServer.public_key);  // logged: whose key was turned away
    CHECK(refused.peer_address == "10.0.0.9");
}

TEST_CASE("which monitor events are refusals, and under which reason") {
    CHECK(bus::refusal_reason(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                              ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) == "no_curve");
    CHECK(bus::refusal_reason(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                              ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) == "bad_handshake");
    CHECK(bus::refusal_reason(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, 0) == "aborted");
    CHECK_FALSE(bus::refusal_reason(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400).has_value());
    CHECK_FALSE(bus::refusal_reason(ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0).has_value());
}

TEST_CASE("refusal log lines: at most one per interval, saying how many were left out") {
    using namespace std::chrono_literals;
    bus::LogThrottle throttle(10s);
    const auto t0 = SteadyClock::time_point{} + 100s;
    std::uint64_t suppressed = 99;
    CHECK(throttle.admit(t0, suppressed));
    CHECK(suppressed == 0);
    CHECK_FALSE(throttle.admit(t0 + 1s, suppressed));
    CHECK_FALSE(throttle.admit(t0 + 9s, suppressed));
    CHECK(throttle.admit(t0 + 10s, suppressed));
    CHECK(suppressed == 2);
    CHECK(throttle.admit(t0 + 30s, suppressed));
    CHECK(suppressed == 0);
}
