#include "sms_sender.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>

#include "long_sms.h"
#include "outbound_media.h"
#include "switchboard/logging.h"
#include "switchboard/text.h"
#include "switchboard/topics.h"
#include "twilio_errors.h"

namespace sb::twilio_gateway {
namespace {

constexpr const char* kSource = "twilio-gateway";
constexpr size_t kRememberCommands = 10000;

std::chrono::milliseconds jitter(std::chrono::milliseconds base) {
    thread_local std::mt19937 generator{std::random_device{}()};
    std::uniform_int_distribution<long> spread(0, base.count() / 4 + 1);
    return base + std::chrono::milliseconds(spread(generator));
}

// The sid and segment count of a 201 answer: {"sid": "SM…", "num_segments": "2", …}.
void read_created(const std::string& body, std::string& sid, int& segments) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (!parsed.is_object()) return;
    if (parsed.contains("sid") && parsed["sid"].is_string()) sid = parsed["sid"].get<std::string>();
    if (parsed.contains("num_segments")) {
        const auto& value = parsed["num_segments"];
        if (value.is_number_integer()) {
            segments = value.get<int>();
        } else if (value.is_string()) {
            try {
                segments = std::stoi(value.get<std::string>());
            } catch (const std::exception&) {
                segments = 0;
            }
        }
    }
}

std::string join_sids(const std::vector<std::string>& sids) {
    std::string joined;
    for (const std::string& sid : sids) joined += (joined.empty() ? "" : ",") + sid;
    return joined;
}

// What a progress record ({"sids": [...], "segments": n}) says; nothing for anything else.
std::vector<std::string> recorded_sids(const nlohmann::json& record) {
    std::vector<std::string> sids;
    if (!record.is_object()) return sids;
    const auto found = record.find("sids");
    if (found == record.end() || !found->is_array()) return sids;
    for (const nlohmann::json& sid : *found) {
        if (!sid.is_string()) return {};
        sids.push_back(sid.get<std::string>());
    }
    return sids;
}

int recorded_segments(const nlohmann::json& record) {
    if (!record.is_object()) return 0;
    const auto found = record.find("segments");
    return found != record.end() && found->is_number_integer() ? found->get<int>() : 0;
}

}  // namespace

std::string messages_target(const std::string& account_sid) {
    return "/2010-04-01/Accounts/" + percent_encode(account_sid) + "/Messages.json";
}

std::string status_callback_url(const std::string& public_base_url, const std::string& room_id,
                                const std::string& agent_message_id) {
    return public_base_url + kStatusPath + "?room=" + percent_encode(room_id) +
           "&reply=" + percent_encode(agent_message_id);
}

FormParams message_form(const SenderSettings& settings, const std::string& to,
                        const std::string& body, const std::string& status_callback,
                        const std::vector<std::string>& media_urls) {
    FormParams form{{"To", to}};
    if (!settings.messaging_service_sid.empty()) {
        form.emplace_back("MessagingServiceSid", settings.messaging_service_sid);
    } else {
        form.emplace_back("From", settings.from_number);
    }
    // A picture alone goes without a Body (Twilio takes Body and/or MediaUrl).
    if (!body.empty() || media_urls.empty()) form.emplace_back("Body", body);
    for (const std::string& url : media_urls) form.emplace_back("MediaUrl", url);
    form.emplace_back("StatusCallback", status_callback);
    // Twilio replaces curly quotes, long dashes and odd spaces with their GSM-7 look-alikes, so
    // an agent's typography does not double the segments (UCS-2) of a reply.
    form.emplace_back("SmartEncoded", "true");
    return form;
}

SmsSender::SmsSender(SenderSettings settings, Post post, Commit commit, Metrics& metrics,
                     SendBackoff backoff, int threads)
    : settings_(std::move(settings)),
      target_(messages_target(settings_.account_sid)),
      post_(std::move(post)),
      commit_(std::move(commit)),
      metrics_(metrics),
      backoff_(backoff),
      seen_(kRememberCommands),
      pool_(threads, "sms") {}

void SmsSender::stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    pool_.stop();
}

void SmsSender::restore(const std::vector<std::pair<std::string, nlohmann::json>>& memory) {
    const std::string prefix = memory_key("");
    size_t continuing = 0;
    {
        std::lock_guard lock(stop_mutex_);
        for (const auto& [key, value] : memory) {
            if (key.rfind(prefix, 0) == 0 && value.is_object()) {
                progress_[key.substr(prefix.size())] = value;
            }
        }
        restored_ = true;
        continuing = progress_.size();
    }
    if (continuing > 0) {
        spdlog::info("sms: {} long text(s) were part-sent before a restart; they continue",
                     continuing);
    }
    stop_cv_.notify_all();
}

bool SmsSender::wait_restored() {
    std::unique_lock lock(stop_mutex_);
    stop_cv_.wait(lock, [this] { return restored_ || stopping_.load(); });
    return !stopping_;
}

nlohmann::json SmsSender::take_progress(const std::string& command_id) {
    std::lock_guard lock(stop_mutex_);
    const auto found = progress_.find(command_id);
    if (found == progress_.end()) return nullptr;
    nlohmann::json progress = std::move(found->second);
    progress_.erase(found);
    return progress;
}

bool SmsSender::wait(std::chrono::milliseconds duration) {
    std::unique_lock lock(stop_mutex_);
    return !stop_cv_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

void SmsSender::handle(const delivery::Inbound& inbound, delivery::Transaction& transaction) {
    const Envelope& command = inbound.event;
    const std::string fields = logging::event_fields(inbound.topic, command);
    if (command.type != event_type::send_sms) {
        spdlog::warn("sms: ignored a command this gateway does not execute: {}", fields);
        return;
    }
    if (!seen_.insert(command.id)) {
        spdlog::info("sms: command seen before, not sent again: {}", fields);
        return;
    }
    SendSms sms;
    try {
        sms = command.payload_as<SendSms>();
    } catch (const std::exception& error) {
        spdlog::warn("sms: malformed SendSms ({}): {}", error.what(), fields);
        return;  // validated on arrival; nothing sensible to report without a number
    }
    // Pending until the worker commits its report, so a crash mid-send hands it over again.
    transaction.hold();
    // Keyed by the customer's number: their SMS leave in the order the router sent them.
    if (!pool_.submit(sms.to, [this, inbound, sms] { send(inbound, sms); })) {
        spdlog::info("sms: shutting down; the command stays pending: {}", fields);
    }
}

void SmsSender::send(const delivery::Inbound& inbound, const SendSms& sms) {
    const Envelope& command = inbound.event;
    const std::string fields = logging::event_fields(inbound.topic, command);
    if (!wait_restored()) return;  // stopping: the command stays pending
    DeliveryReport report;
    report.to = sms.to;
    report.room_id = sms.room_id;
    report.agent_message_id = sms.agent_message_id;
    report.carrier = "twilio";
    // Pictures as MMS, other files as links in the text (outbound_media.h); the pictures go
    // with the first message, which may have no words at all.
    const OutboundPlan plan = plan_outbound(sms);
    std::vector<std::string> parts = split_long_sms(plan.text);
    if (parts.empty() && !plan.media_urls.empty()) parts.emplace_back();
    if (parts.empty()) {
        report.status = "failed";
        report.reason = "the text was empty; nothing was sent";
    } else if (parts.size() > kMaxParts) {
        report.status = "failed";
        report.reason = "the text is too long for SMS (" + std::to_string(parts.size()) +
                        " messages of 1600 characters, at most " + std::to_string(kMaxParts) +
                        "); shorten it";
    } else {
        report.status = "sent";
        const std::string callback =
            status_callback_url(settings_.public_base_url, sms.room_id, sms.agent_message_id);
        // Parts an earlier life sent (Twilio took them): not again.
        std::vector<std::string> sids;
        size_t first = 0;
        const nlohmann::json before = take_progress(command.id);
        const std::vector<std::string> sent_before = recorded_sids(before);
        if (!sent_before.empty() && sent_before.size() < parts.size()) {
            sids = sent_before;
            first = sids.size();
            report.segments = recorded_segments(before);
            report.carrier_message_id = join_sids(sids);
            spdlog::info(
                "sms: continuing at message {} of {} (the first {} were sent before a "
                "restart): {}",
                first + 1, parts.size(), first, fields);
        }
        for (size_t i = first; i < parts.size(); ++i) {
            const PartResult result =
                send_part(sms.to, parts[i], callback, fields,
                          i == 0 ? plan.media_urls : std::vector<std::string>{});
            if (result.kind == PartResult::Kind::interrupted) {
                // Shutting down: the command stays pending rather than report a failure that
                // did not happen. Parts already sent go again after the restart (README).
                spdlog::info("sms: shutting down mid-command; it stays pending: {}", fields);
                return;  // never committed: stays held
            }
            if (result.kind != PartResult::Kind::sent) {
                report.status = result.kind == PartResult::Kind::opted_out ? "opted_out" : "failed";
                report.reason = result.reason;
                report.carrier_code = result.carrier_code;
                if (i > 0) {
                    report.reason += " (after " + std::to_string(i) + " of " +
                                     std::to_string(parts.size()) + " messages were sent)";
                }
                break;
            }
            report.segments += result.segments;
            sids.push_back(result.sid);
            report.carrier_message_id = join_sids(sids);
            if (i + 1 < parts.size()) {
                // On disk before the next part goes: a crash from here on does not send it again.
                delivery::Transaction progress;
                progress.remember(memory_key(command.id),
                                  nlohmann::json{{"sids", sids}, {"segments", report.segments}});
                commit_(std::move(progress));
            }
            // Counted once recorded (tests wait on it before they kill the gateway).
            metrics_.counter("twilio_messages_sent_total", "Messages Twilio took (201)").add();
        }
    }
    metrics_
        .counter("twilio_sms_commands_total", "SendSms commands, by outcome",
                 {{"status", report.status}})
        .add();
    if (report.status == "sent") {
        spdlog::info("sms: Twilio took it as {} ({} segment(s)): {}", report.carrier_message_id,
                     report.segments, fields);
    } else {
        spdlog::warn("sms: {} ({}, code {}): {}", report.status, report.reason, report.carrier_code,
                     fields);
    }
    delivery::Transaction done;
    done.publish(topics::sms_reports,
                 make_event(event_type::delivery_report, kSource, command.key, report, command.id));
    done.complete(inbound.ref);
    if (parts.size() > 1) done.forget(memory_key(command.id));
    commit_(std::move(done));
}

SmsSender::PartResult SmsSender::send_part(const std::string& to, const std::string& body,
                                           const std::string& callback, const std::string& fields,
                                           const std::vector<std::string>& media_urls) {
    using Kind = PartResult::Kind;
    const FormParams form = message_form(settings_, to, body, callback, media_urls);
    for (int retry = 1;; ++retry) {
        if (stopping_) return {Kind::interrupted};
        const ApiResponse answer = post_(target_, form);
        if (stopping_ && !answer.ok()) return {Kind::interrupted};
        const SendOutcome outcome =
            classify_send_answer(answer.status, answer.provider_code, answer.error);
        switch (outcome.verdict) {
            case SendVerdict::sent: {
                PartResult sent;
                read_created(answer.body, sent.sid, sent.segments);
                return sent;
            }
            case SendVerdict::failed:
                return {Kind::failed, outcome.reason, outcome.carrier_code};
            case SendVerdict::opted_out:
                return {Kind::opted_out, outcome.reason, outcome.carrier_code};
            case SendVerdict::retry:
                break;
        }
        const std::chrono::milliseconds delay =
            jitter(retry_delay(retry, answer.header("Retry-After"), backoff_));
        metrics_
            .counter("twilio_send_retries_total",
                     "Messages.json calls tried again after an answer that clears by itself")
            .add();
        spdlog::warn("sms: {} (code {}); retry {} in {} ms, the command stays pending: {}",
                     outcome.reason, outcome.carrier_code, retry, delay.count(), fields);
        if (!wait(delay)) return {Kind::interrupted};
    }
}

}  // namespace sb::twilio_gateway
