#pragma once
#include <string>
#include <string_view>

// Every topic on the bus, defined once. Each topic has exactly one consuming service (its
// consumer group); DESIGN.md §1 and README "Delivery contract" explain why.
namespace sb::topics {

inline constexpr std::string_view customer_messages = "customer.message";  // -> router
inline constexpr std::string_view agent_messages = "agent.message";        // -> router
inline constexpr std::string_view spark_commands = "spark.command";        // -> spark-gateway
inline constexpr std::string_view spark_results = "spark.result";          // -> router
// SMS to send, and what became of them: carrier-neutral, so the router names no carrier. A
// deployment runs exactly one carrier gateway (tropo-gateway or twilio-gateway).
inline constexpr std::string_view sms_to_send = "sms.send";    // -> the carrier gateway
inline constexpr std::string_view sms_reports = "sms.report";  // -> router

// Acknowledgements travel to the instance that produced the event.
inline std::string acks_for(std::string_view instance) {
    return "ack." + std::string(instance);
}
// Immediate, best-effort replies (a call decision) to one waiting instance.
inline std::string replies_for(std::string_view instance) {
    return "reply." + std::string(instance);
}
// A spark-gateway instance's own journal of the webhook deliveries it accepted, consumed by that
// instance alone (services/spark-gateway/README.md, "Webhook durability").
inline std::string spark_webhooks_for(std::string_view instance) {
    return "spark.webhook." + std::string(instance);
}

}  // namespace sb::topics
