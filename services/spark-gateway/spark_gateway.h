#pragma once
// The I/O shell of spark-gateway: the webhook endpoint, the bus node, the command and webhook
// workers, the start-up handshake with Webex (who am I, is our webhook there) and its re-checks.
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agent_files.h"
#include "catch_up.h"
#include "command_runner.h"
#include "file_store.h"
#include "gateway_config.h"
#include "message_enricher.h"
#include "switchboard/api_client.h"
#include "switchboard/delivery.h"
#include "switchboard/http_edge.h"
#include "switchboard/keyed_executor.h"
#include "switchboard/metrics.h"
#include "switchboard/recent_ids.h"
#include "webex_cache.h"
#include "webhook_registrar.h"

namespace sb::spark_gateway {

class SparkGateway {
  public:
    SparkGateway(GatewayConfig config, Metrics& metrics, HttpEdge& http);
    ~SparkGateway();

    void register_routes(httplib::Server& server);
    void start();  // returns at once; readiness follows once Webex answered
    void stop();

  private:
    void on_event(const delivery::Inbound& inbound, delivery::Transaction& transaction);
    void run_command(const delivery::Inbound& inbound);
    void process_notice(const delivery::Inbound& inbound);
    void handle_webhook(const httplib::Request& request, httplib::Response& response);
    void control_loop();
    bool bootstrap_identity();
    // Takes in what was posted after `since` (the seen mark) as if its webhook had come.
    void catch_up(const char* why, std::optional<WallClock::time_point> since);
    void take_in(const WebhookNotice& notice);  // durably, for a worker to enrich and publish
    // Undo send (spark_gateway_deletions.cpp): a messages/deleted delivery, journaled before
    // its 2xx like a created one, then published as AgentMessageDeleted behind the room's
    // earlier deliveries.
    void take_in_deletion(const WebhookNotice& notice, httplib::Response& response);
    void publish_deletion(const delivery::Inbound& inbound);
    void observe_created(const WebhookNotice& notice);
    bool wait_ready();
    bool pause(std::chrono::milliseconds duration);               // false when stopping
    bool first_sighting(RecentIds& seen, const std::string& id);  // locks mutex_

    GatewayConfig config_;
    Metrics& metrics_;
    HttpEdge& http_;
    // Accepted deliveries travel durably through the gateway's own topic before the 2xx (README,
    // "Webhook durability").
    std::string journal_topic_;
    ApiClient api_;          // commands and message fetches: the full retry policy
    ApiClient control_api_;  // start-up and webhook checks: short retries, looped
    WebexCache cache_;
    CommandRunner runner_;
    MessageEnricher enricher_;
    WebhookRegistrar registrar_;
    FileStore file_store_;  // agents' files for customers, under DATA_DIR/files
    AgentFiles agent_files_;
    delivery::Node node_;
    // Separate pools: a ListRooms barrier waits for commands only, never for webhook
    // deliveries (which may be retrying a fetch for a while).
    KeyedExecutor commands_;
    KeyedExecutor notices_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool ready_ = false;
    RecentIds seen_commands_;
    RecentIds published_messages_;
    SeenMark seen_mark_;
    std::thread control_thread_;
};

}  // namespace sb::spark_gateway
