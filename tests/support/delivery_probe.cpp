// A stand-in service for the delivery-contract tests, run as a real process:
//   produce: publishes --count CustomerMessages over --keys customers, then waits for every ack
//   relay:   consumes --topic and republishes each event to --to, atomically with its completion
//   sink:    consumes --topic and appends "<key> <n> <event id>" per event to --out
// Each prints its stats as JSON on exit (SIGTERM, or after producing everything).
// Bus keys come from the environment like a service's (BUS_SERVER_PUBLIC_KEY,
// BUS_CLIENT_SECRET_KEY); a bad key setting exits 2 naming the variable.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "switchboard/bus_security.h"
#include "switchboard/delivery.h"
#include "switchboard/logging.h"
#include "switchboard/shutdown.h"
#include "switchboard/time_format.h"

namespace {

std::map<std::string, std::string> parse_flags(int argc, char** argv) {
    std::map<std::string, std::string> flags;
    for (int i = 2; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
    return flags;
}

std::string customer_for(int key) {
    char number[32];
    std::snprintf(number, sizeof number, "+1208555%04d", key);
    return number;
}

sb::json stats_json(const sb::delivery::Stats& stats) {
    return {{"published", stats.published},         {"acknowledged", stats.acknowledged},
            {"retransmitted", stats.retransmitted}, {"accepted", stats.accepted},
            {"duplicates", stats.duplicates},       {"out_of_order", stats.out_of_order},
            {"rejected", stats.rejected},           {"handled", stats.handled},
            {"pending_out", stats.pending_out},     {"pending_in", stats.pending_in}};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace sb;
    if (argc < 2) {
        std::cerr << "usage: delivery_probe produce|relay|sink --flag value...\n";
        return 2;
    }
    const std::string mode = argv[1];
    auto flags = parse_flags(argc, argv);
    const auto flag = [&](const std::string& name, const std::string& fallback) {
        const auto found = flags.find("--" + name);
        return found == flags.end() ? fallback : found->second;
    };
    shutdown::install_signal_handlers();
    logging::init("probe", flag("instance", mode), flag("log-level", "warn"));

    delivery::Options options;
    options.service = "probe";
    options.instance = flag("instance", mode);
    options.data_dir = flag("data-dir", "./var");
    options.publish_endpoint = flag("pub", "tcp://127.0.0.1:5550");
    options.subscribe_endpoint = flag("sub", "tcp://127.0.0.1:5551");
    if (mode != "produce") options.consume = {flag("topic", "probe.in")};
    try {
        options.bus_keys = bus_security::read_client_keys(Environment::from_process(""));
    } catch (const ConfigError& error) {
        spdlog::error("probe: configuration: {}", error.what());
        return 2;
    }
    spdlog::info("starting: {}", describe_settings(bus_security::describe(options.bus_keys)));
    delivery::Node node(options);

    std::ofstream sink_file;
    std::map<std::string, int> counters;
    if (mode == "sink") {
        sink_file.open(flag("out", "sink.txt"), std::ios::app);
        node.on_event([&](const delivery::Inbound& inbound, delivery::Transaction&) {
            const auto message = inbound.event.payload_as<CustomerMessage>();
            sink_file << inbound.event.key << ' ' << message.text << ' ' << inbound.event.id
                      << '\n';
            sink_file.flush();
        });
    } else if (mode == "relay") {
        const std::string to = flag("to", "probe.out");
        node.on_event([&, to](const delivery::Inbound& inbound, delivery::Transaction& tx) {
            Envelope copy = inbound.event;
            copy.source = options.instance;
            tx.publish(to, copy);  // keeps the id: the sink can tell originals apart
        });
    }
    node.start();

    int status = 0;
    if (mode == "produce") {
        const int count = std::stoi(flag("count", "1000"));
        const int keys = std::stoi(flag("keys", "10"));
        const int batch = std::stoi(flag("batch", "50"));
        const std::string topic = flag("topic", "probe.in");
        for (int i = 0; i < count && !shutdown::requested();) {
            delivery::Transaction tx;
            for (int j = 0; j < batch && i < count; ++j, ++i) {
                const int key = i % keys;
                CustomerMessage message;
                message.customer = customer_for(key);
                message.channel = "sms";
                message.text = std::to_string(++counters[message.customer]);
                message.received_at = iso8601_now();
                tx.publish(topic, make_event(event_type::customer_message, options.instance,
                                             message.customer, message));
            }
            node.commit(std::move(tx));
        }
        const auto wait_ms = std::stoi(flag("wait-ms", "60000"));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
        while (node.stats().pending_out > 0 && !shutdown::requested() &&
               std::chrono::steady_clock::now() < deadline) {
            shutdown::wait_for(std::chrono::milliseconds(10));
        }
        status = node.stats().pending_out == 0 ? 0 : 3;
    } else {
        shutdown::wait();
    }
    const auto stats = node.stats();
    node.stop();
    std::cout << stats_json(stats).dump() << std::endl;
    return status;
}
