// Undo send, spark-gateway's half: Webex's messages/deleted deliveries become AgentMessageDeleted
// on agent.message. Verified like every delivery (signature first, then the same parse as
// messages/created: data.id and data.roomId, Webex ids), journaled on the gateway's own topic
// before the 2xx (Webex never redelivers), and published by the worker of the room's key, so a
// deletion leaves after the AgentMessage of the message it deletes (the router's stream keeps
// that order). Nothing is fetched: a deleted message cannot be read, and the router needs only
// its id. Deletions of any message are passed on (the bridge's, a whisper's): the router knows
// which replies are waiting, and a deletion of anything else changes nothing there.
#include <spdlog/spdlog.h>

#include <optional>

#include "spark_gateway.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/topics.h"

namespace sb::spark_gateway {

void SparkGateway::take_in_deletion(const WebhookNotice& notice, httplib::Response& response) {
    metrics_
        .counter("spark_webhooks_total", "Webhook deliveries, by result and reason",
                 {{"result", "accepted"}, {"reason", "deleted"}})
        .add();
    // The key AgentMessage travels under (the room), so both are one ordered stream.
    Envelope journaled =
        stamp(make_event(event_type::agent_message_deleted, config_.common.service, notice.room_id,
                         AgentMessageDeleted{notice.message_id, notice.room_id}));
    node_.publish(journal_topic_, std::move(journaled));
    reply_json(response, 200, R"({"status":"accepted"})");
}

void SparkGateway::publish_deletion(const delivery::Inbound& inbound) {
    delivery::Transaction transaction;
    transaction.complete(inbound.ref);
    std::optional<AgentMessageDeleted> deleted;
    try {
        deleted = inbound.event.payload_as<AgentMessageDeleted>();
    } catch (const std::exception& error) {
        // Checked when it was journaled; should it not read now, it is let go, not retried.
        spdlog::error("unreadable journaled deletion: {}", error.what());
    }
    if (deleted) {
        Envelope event = stamp(make_event(event_type::agent_message_deleted, config_.common.service,
                                          inbound.event.key, *deleted));
        spdlog::info("agent message deleted: {}",
                     logging::event_fields(topics::agent_messages, event));
        transaction.publish(topics::agent_messages, std::move(event));
    }
    node_.commit(std::move(transaction));
    metrics_
        .counter("spark_agent_messages_total", "Webhook deliveries turned into AgentMessages",
                 {{"outcome", deleted ? "deleted" : "dropped"}})
        .add();
}

}  // namespace sb::spark_gateway
