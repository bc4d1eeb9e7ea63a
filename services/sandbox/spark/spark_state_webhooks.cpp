// Webex REST rules for webhooks (list, create, get, update, delete) and delivery outcomes.
#include <algorithm>

#include "paging.h"
#include "spark_state.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {

Reply SparkState::list_webhooks(const std::string& caller, const Query& query) const {
    std::lock_guard lock(mutex_);
    const auto max = read_max(query, kListPageSize);
    if (!max) return bad_max(kListPageSize);
    std::vector<const Webhook*> owned;
    for (const Webhook& webhook : webhooks_) {
        if (webhook.owner_id == caller) owned.push_back(&webhook);
    }
    return page_reply(
        owned, query, *max, Order::ascending,
        [](const Webhook& webhook) { return sequence_key(webhook.seq); },
        [&](const Webhook& webhook) { return webhook_json(webhook); });
}

Reply SparkState::create_webhook(const std::string& caller, const json& body) {
    std::lock_guard lock(mutex_);
    Webhook webhook;
    webhook.name = string_field(body, "name");
    webhook.target_url = string_field(body, "targetUrl");
    webhook.resource = string_field(body, "resource");
    webhook.event = string_field(body, "event");
    webhook.filter = string_field(body, "filter");
    webhook.secret = string_field(body, "secret");
    if (webhook.name.empty() || webhook.target_url.empty() || webhook.resource.empty() ||
        webhook.event.empty()) {
        return fail(400, "name, targetUrl, resource and event are required.");
    }
    if (webhook.target_url.rfind("http://", 0) != 0 &&
        webhook.target_url.rfind("https://", 0) != 0) {
        return fail(400, "targetUrl must be an http(s) URL.");
    }
    webhook.id = new_webex_id("WEBHOOK");
    webhook.owner_id = caller;
    webhook.created = tick();
    webhook.seq = next_record_seq_++;
    webhooks_.push_back(webhook);
    return ok(webhook_json(webhook));
}

Reply SparkState::get_webhook(const std::string& caller, const std::string& id) const {
    std::lock_guard lock(mutex_);
    for (const Webhook& webhook : webhooks_) {
        if (webhook.id == id && webhook.owner_id == caller) return ok(webhook_json(webhook));
    }
    return fail(404, "Webhook not found.");
}

Reply SparkState::update_webhook(const std::string& caller, const std::string& id,
                                 const json& body) {
    std::lock_guard lock(mutex_);
    for (Webhook& webhook : webhooks_) {
        if (webhook.id != id || webhook.owner_id != caller) continue;
        const std::string name = string_field(body, "name");
        const std::string target = string_field(body, "targetUrl");
        if (name.empty() || target.empty()) return fail(400, "name and targetUrl are required.");
        const std::string status = string_field(body, "status");
        if (!status.empty() && status != "active" && status != "inactive") {
            return fail(400, "status must be active or inactive.");
        }
        webhook.name = name;
        webhook.target_url = target;
        if (body.contains("secret")) webhook.secret = string_field(body, "secret");
        if (!status.empty()) {
            webhook.status = status;
            webhook.failures = 0;
        }
        return ok(webhook_json(webhook));
    }
    return fail(404, "Webhook not found.");
}

Reply SparkState::delete_webhook(const std::string& caller, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(webhooks_.begin(), webhooks_.end(), [&](const Webhook& w) {
        return w.id == id && w.owner_id == caller;
    });
    if (found == webhooks_.end()) return fail(404, "Webhook not found.");
    webhooks_.erase(found);
    return no_content();
}

void SparkState::delivery_result(const std::string& webhook_id, bool delivered) {
    std::lock_guard lock(mutex_);
    for (Webhook& webhook : webhooks_) {
        if (webhook.id != webhook_id) continue;
        webhook.failures = delivered ? 0 : webhook.failures + 1;
        if (webhook.failures >= failure_limit) webhook.status = "inactive";
    }
}

}  // namespace sb::sandbox::spark
