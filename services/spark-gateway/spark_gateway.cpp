#include "spark_gateway.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "switchboard/clocks.h"
#include "switchboard/logging.h"
#include "switchboard/service.h"
#include "switchboard/thread_guard.h"
#include "switchboard/time_format.h"
#include "switchboard/topics.h"
#include "webex_call.h"
#include "webhook_intake.h"

namespace sb::spark_gateway {
namespace {

constexpr size_t kRememberedIds = 100000;

RetryPolicy control_policy() {
    RetryPolicy policy;
    policy.max_attempts = 3;
    policy.first_backoff = std::chrono::milliseconds(200);
    policy.max_backoff = std::chrono::milliseconds(1000);
    policy.connect_timeout = std::chrono::seconds(2);
    policy.read_timeout = std::chrono::seconds(10);
    return policy;
}

}  // namespace

SparkGateway::SparkGateway(GatewayConfig config, Metrics& metrics, HttpEdge& http)
    : config_(std::move(config)),
      metrics_(metrics),
      http_(http),
      journal_topic_(topics::spark_webhooks_for(config_.common.instance)),
      api_(config_.api_url, config_.token, "spark", &metrics_),
      control_api_(config_.api_url, config_.token, "spark", &metrics_, control_policy()),
      cache_(std::chrono::seconds(config_.room_title_ttl_seconds)),
      runner_(api_, cache_, config_.team_id, config_.rooms_page_size, config_.common.service),
      enricher_(api_, cache_, config_.proxy_email),
      registrar_(control_api_, metrics_, config_.webhook_target(), config_.webhook_secret),
      file_store_(std::filesystem::path(config_.common.data_dir) / "files",
                  config_.file_link_ttl()),
      agent_files_(config_.api_url, config_.token, config_.files_base(), file_store_,
                   FileLimits{static_cast<size_t>(config_.file_max_bytes)}, metrics_),
      node_(
          delivery_options(config_.common, {std::string(topics::spark_commands), journal_topic_})),
      commands_(config_.workers, "spark commands"),
      notices_(config_.workers, "spark webhooks"),
      seen_commands_(kRememberedIds),
      published_messages_(kRememberedIds),
      seen_mark_(std::filesystem::path(config_.common.data_dir) /
                 (config_.common.instance + ".spark-seen")) {
    metrics_.gauge("spark_gateway_tasks_queued", "Commands and deliveries waiting for a worker",
                   [this] { return static_cast<double>(commands_.queued() + notices_.queued()); });
    metrics_.gauge("spark_gateway_pending_events", "Accepted events not yet done",
                   [this] { return static_cast<double>(node_.stats().pending_in); });
    node_.register_metrics(metrics_);
}

SparkGateway::~SparkGateway() {
    stop();
}

void SparkGateway::register_routes(httplib::Server& server) {
    const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
        handle_webhook(request, response);
    };
    server.Post("/api/spark-webhook/", handler);
    server.Post("/api/spark-webhook", handler);
    server.Get(R"(/api/files/([^/]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                   serve_file(file_store_, request.matches[1], response);
               });
}

void SparkGateway::start() {
    node_.on_event([this](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
        on_event(inbound, transaction);
    });
    node_.start();
    // Start-up, webhook upkeep and catch-up: should this thread end by an exception, the
    // gateway would stay up without a webhook; run_guarded logs it and stops the service.
    control_thread_ =
        std::thread([this] { run_guarded("spark control", [this] { control_loop(); }); });
}

void SparkGateway::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    // Cut retry waits short: an interrupted command stays pending and runs after a restart.
    api_.cancel();
    control_api_.cancel();
    agent_files_.cancel();
    if (control_thread_.joinable()) control_thread_.join();
    commands_.stop();
    notices_.stop();
    commands_.join();
    notices_.join();
    node_.stop();
}

bool SparkGateway::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

bool SparkGateway::wait_ready() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || ready_; });
    return !stopping_;
}

bool SparkGateway::first_sighting(RecentIds& seen, const std::string& id) {
    std::lock_guard lock(mutex_);
    return seen.insert(id);
}

// ---- Start-up and periodic webhook checks ------------------------------------------------

bool SparkGateway::bootstrap_identity() {
    const Answer me = webex_get(control_api_, "/people/me");
    if (!me.ok() || !me.body.is_object()) {
        spdlog::warn("waiting for Webex at {}: /people/me: {}", config_.api_url,
                     me.error.empty() ? "HTTP " + std::to_string(me.status) : me.error);
        return false;
    }
    Identity identity;
    identity.id = text_field(me.body, "id");
    identity.display_name = text_field(me.body, "displayName");
    identity.email = first_email(me.body);
    if (identity.id.empty()) return false;
    if (!config_.proxy_email.empty() && identity.email != config_.proxy_email) {
        spdlog::warn("SPARK_CUSTOMER_PROXY_EMAIL is {} but the token belongs to {}",
                     config_.proxy_email, identity.email);
    }
    spdlog::info("customer-proxy account: {} <{}>", identity.display_name, identity.email);
    cache_.set_identity(identity);
    return true;
}

void SparkGateway::control_loop() {
    std::chrono::milliseconds backoff(250);
    while (!bootstrap_identity()) {
        if (!pause(backoff)) return;
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
    backoff = std::chrono::milliseconds(250);
    while (!registrar_.ensure().healthy) {
        if (!pause(backoff)) return;
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
    {
        std::lock_guard lock(mutex_);
        ready_ = true;
    }
    wake_.notify_all();
    http_.set_ready(true);
    spdlog::info("ready: webhook -> {}", config_.webhook_target());
    catch_up("start-up", seen_mark_.load());
    const auto check_every = std::chrono::seconds(config_.webhook_check_seconds);
    auto next_check = SteadyClock::now() + check_every;
    bool catch_up_due = false;
    while (pause(std::chrono::seconds(1))) {
        seen_mark_.save_if_changed();
        if (SteadyClock::now() < next_check) continue;
        const WebhookCheck check = registrar_.ensure();
        // A webhook that had to be revived delivered nothing since it died: take in what was
        // posted meanwhile, exactly as after a restart (once the webhook works again, so that
        // nothing posted during the catch-up falls between the two).
        catch_up_due = catch_up_due || check.revived;
        if (!check.healthy) {
            spdlog::warn("webhook check failed; next try in {} s", config_.webhook_check_seconds);
        } else if (catch_up_due) {
            catch_up("webhook revived", seen_mark_.newest());
            catch_up_due = false;
        }
        next_check = SteadyClock::now() + check_every;
    }
    seen_mark_.save_if_changed();
}

void SparkGateway::catch_up(const char* why, std::optional<WallClock::time_point> since) {
    const auto now = WallClock::now();
    if (!since || config_.catch_up_max_age_seconds == 0) {
        // First start (or catch-up off): nothing before this moment is ours to deliver.
        seen_mark_.observe(now);
        seen_mark_.save_if_changed();
        return;
    }
    const auto self = cache_.identity();
    if (!self) return;
    CatchUpLimits limits;
    limits.max_age = std::chrono::seconds(config_.catch_up_max_age_seconds);
    const MissedMessages missed = missed_messages(control_api_, config_.team_id, *self,
                                                  config_.proxy_email, *since, now, limits);
    for (const WebhookNotice& notice : missed.notices) {
        take_in(notice);
        observe_created(notice);
    }
    metrics_
        .counter("spark_caught_up_messages_total",
                 "Messages Webex could not deliver (gateway down, webhook dead), caught up")
        .add(missed.notices.size());
    spdlog::info("catch-up ({}) since {}: {} rooms active, {} messages taken in{}", why,
                 iso8601(*since), missed.rooms_checked, missed.notices.size(),
                 missed.complete ? "" : " (incomplete: see the warnings above)");
}

void SparkGateway::observe_created(const WebhookNotice& notice) {
    if (const auto created = parse_iso8601(notice.created)) seen_mark_.observe(*created);
}

void SparkGateway::take_in(const WebhookNotice& notice) {
    Envelope skeleton = stamp(make_event(event_type::agent_message, config_.common.service,
                                         notice.room_id, skeleton_from(notice)));
    node_.publish(journal_topic_, std::move(skeleton));
}

// ---- The bus ------------------------------------------------------------------------------

void SparkGateway::on_event(const delivery::Inbound& inbound, delivery::Transaction& transaction) {
    if (inbound.topic == journal_topic_ &&
        inbound.event.type == event_type::agent_message_deleted) {
        transaction.hold();  // same key as the room's created deliveries: after them, in order
        notices_.submit("room:" + inbound.event.key,
                        [this, inbound] { publish_deletion(inbound); });
        return;
    }
    if (inbound.topic == journal_topic_) {
        transaction.hold();
        notices_.submit("room:" + inbound.event.key, [this, inbound] { process_notice(inbound); });
        return;
    }
    if (!first_sighting(seen_commands_, inbound.event.id)) {
        // Delivery already dedupes; this guards against a producer re-sending one command.
        spdlog::warn("duplicate command ignored: {}",
                     logging::event_fields(inbound.topic, inbound.event));
        metrics_
            .counter("spark_commands_total", "Commands from the router, by type and outcome",
                     {{"type", inbound.event.type}, {"outcome", "duplicate"}})
            .add();
        return;  // completes it
    }
    transaction.hold();
    if (inbound.event.type == event_type::list_rooms) {
        // A barrier: the listing starts after every command accepted before it has finished, so
        // a CreateRoom still running on another key (e.g. from before a router restart) shows in
        // the pages and the router does not create a second room for that customer.
        commands_.submit_barrier([this, inbound] { run_command(inbound); });
        return;
    }
    const std::string key = inbound.event.key.empty() ? inbound.event.type : inbound.event.key;
    commands_.submit("cmd:" + key, [this, inbound] { run_command(inbound); });
}

void SparkGateway::run_command(const delivery::Inbound& inbound) {
    if (!wait_ready()) return;
    const Execution execution = runner_.execute(inbound.event);
    if (execution.abandoned) return;  // stays pending: executed after the restart
    delivery::Transaction transaction;
    for (const Envelope& result : execution.results) {
        transaction.publish(topics::spark_results, result);
    }
    transaction.complete(inbound.ref);
    node_.commit(std::move(transaction));
    const bool ok = execution.outcome == "ok";
    metrics_
        .counter("spark_commands_total", "Commands from the router, by type and outcome",
                 {{"type", inbound.event.type}, {"outcome", ok ? "ok" : "failed"}})
        .add();
    if (execution.found_done) {
        metrics_
            .counter("spark_commands_found_done_total",
                     "Commands handed back after a crash whose effect was already in Webex",
                     {{"type", inbound.event.type}})
            .add();
    }
    if (ok) {
        spdlog::info("command done: {} results={}",
                     logging::event_fields(inbound.topic, inbound.event), execution.results.size());
    } else {
        spdlog::warn("command failed: {}: {}", logging::event_fields(inbound.topic, inbound.event),
                     execution.outcome);
    }
}

void SparkGateway::process_notice(const delivery::Inbound& inbound) {
    if (!wait_ready()) return;
    WebhookNotice notice;
    try {
        notice = notice_from(inbound.event.payload_as<AgentMessage>());
    } catch (const std::exception& error) {
        spdlog::error("unreadable journaled delivery: {}", error.what());
        delivery::Transaction done;
        done.complete(inbound.ref);
        node_.commit(std::move(done));
        return;
    }
    const auto published_count = [&](const char* outcome) {
        metrics_
            .counter("spark_agent_messages_total", "Webhook deliveries turned into AgentMessages",
                     {{"outcome", outcome}})
            .add();
    };
    {
        std::lock_guard lock(mutex_);
        if (published_messages_.contains(notice.message_id)) {
            // Two webhooks (during a cleanup) or a redelivery: one AgentMessage per message.
            delivery::Transaction done;
            done.complete(inbound.ref);
            node_.commit(std::move(done));
            published_count("duplicate");
            return;
        }
    }
    std::chrono::milliseconds backoff(500);
    while (true) {
        Enriched enriched = enricher_.enrich(notice);
        if (enriched.kind == Enriched::Kind::abandoned) return;
        if (enriched.kind == Enriched::Kind::retry) {
            spdlog::warn("message {} not fetched yet ({}); retrying in {} ms",
                         notice.message_id.substr(0, 16), enriched.reason, backoff.count());
            if (!pause(backoff)) return;
            backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
            continue;
        }
        delivery::Transaction transaction;
        transaction.complete(inbound.ref);
        if (enriched.kind == Enriched::Kind::dropped) {
            spdlog::warn("message {} dropped: {}", notice.message_id.substr(0, 16),
                         enriched.reason);
            node_.commit(std::move(transaction));
            published_count("dropped");
            return;
        }
        // The agent's files, fetched and served at public links (agent_files.h); stopping
        // leaves the notice pending, done again after the restart.
        if (files_for_customer(enriched.message, config_.team_id) &&
            !agent_files_.attach(enriched.message, [this](auto wait) { return pause(wait); })) {
            return;
        }
        Envelope event = stamp(make_event(event_type::agent_message, config_.common.service,
                                          enriched.message.room_id, enriched.message));
        const std::string fields = logging::event_fields(topics::agent_messages, event);
        transaction.publish(topics::agent_messages, std::move(event));
        node_.commit(std::move(transaction));
        first_sighting(published_messages_, notice.message_id);
        published_count(enriched.message.from_bridge ? "published_from_bridge" : "published");
        spdlog::info("agent message published: {} from_bridge={}", fields,
                     enriched.message.from_bridge);
        return;
    }
}

// ---- The webhook endpoint -----------------------------------------------------------------

void SparkGateway::handle_webhook(const httplib::Request& request, httplib::Response& response) {
    Intake intake = check_delivery(config_.webhook_secret, request.body,
                                   request.get_header_value("X-Spark-Signature"));
    if (intake.notice && intake.deleted) return take_in_deletion(*intake.notice, response);
    // The bridge's own posts come back too: an echo is never an SMS, so it is dropped here, at
    // no cost (no journal, no fetch, no event). When who we are is not known yet, the worker
    // decides after fetching the message.
    if (intake.notice &&
        posted_by_bridge(*intake.notice, cache_.identity(), config_.proxy_email).value_or(false)) {
        observe_created(*intake.notice);
        intake = Intake{200, "own post", std::nullopt};
    }
    const char* result = intake.notice ? "accepted" : intake.status < 300 ? "ignored" : "rejected";
    metrics_
        .counter("spark_webhooks_total", "Webhook deliveries, by result and reason",
                 {{"result", result}, {"reason", intake.notice ? "ok" : intake.reason}})
        .add();
    if (!intake.notice) {
        if (intake.status >= 300) {
            spdlog::warn("webhook rejected from {}: {}", request.remote_addr, intake.reason);
            return reply_error(response, intake.status, intake.reason);
        }
        return reply_json(response, 200, R"({"status":"ignored"})");
    }
    // Durable before the 2xx: Webex never redelivers, so a crash after answering must not
    // lose the message. The journal record is the skeleton; workers fill it in.
    take_in(*intake.notice);
    observe_created(*intake.notice);  // only once it is durable: catch-up starts after it
    reply_json(response, 200, R"({"status":"accepted"})");
}

}  // namespace sb::spark_gateway
