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
#include "spark_partitions.h"
#include "switchboard/http_edge.h"
#include "switchboard/logging.h"
#include "switchboard/text.h"
#include "switchboard/topics.h"
#include "webex_call.h"
#include "webex_translate.h"

namespace sb::spark_gateway {

void SparkGateway::take_in_deletion(const WebhookNotice& notice, httplib::Response& response) {
    metrics_
        .counter("spark_webhooks_total", "Webhook deliveries, by result and reason",
                 {{"result", "accepted"}, {"reason", "deleted"}})
        .add();
    // Journaled under the room id like the room's messages/created notices: one worker per room,
    // so a deletion is published after the AgentMessage of the message it deletes.
    Envelope journaled =
        stamp(make_event(event_type::agent_message_deleted, config_.common.service, notice.room_id,
                         AgentMessageDeleted{notice.message_id, notice.room_id}));
    node_.publish(journal_topic_, std::move(journaled));
    reply_json(response, 200, R"({"status":"accepted"})");
}

// The key the room's AgentMessages left under (spark_partitions.h: the customer's number from the
// title), so the deletion reaches the router partition holding the reply. The title is cached
// when the message itself was taken in moments ago; otherwise it is asked for once. Should that
// fail, the room id is the key: a partition that does not hold the reply changes nothing.
std::string SparkGateway::deletion_key(const AgentMessageDeleted& deleted) {
    const auto now = SteadyClock::now();
    std::optional<RoomFacts> room = cache_.room(deleted.room_id, now);
    if (!room) {
        const Answer fetched = webex_get(api_, "/rooms/" + percent_encode(deleted.room_id));
        if (fetched.ok() && fetched.body.is_object()) {
            room = RoomFacts{text_field(fetched.body, "title"), text_field(fetched.body, "teamId")};
            cache_.set_room(deleted.room_id, *room, now);
        }
    }
    AgentMessage message;
    message.room_id = deleted.room_id;
    if (room) message.room_title = room->title;
    return agent_message_key(message);
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
                                          deletion_key(*deleted), *deleted));
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
