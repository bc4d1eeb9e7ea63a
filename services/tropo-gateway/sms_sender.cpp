#include "sms_sender.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "sms_segments.h"
#include "switchboard/attachment_text.h"
#include "switchboard/logging.h"
#include "switchboard/smart_encoding.h"
#include "switchboard/topics.h"
#include "tropo_verbs.h"

namespace sb::tropo_gateway {
namespace {

constexpr const char* kSource = "tropo-gateway";
constexpr size_t kRememberCommands = 10000;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SmsSender::SmsSender(const GatewayConfig& config, Launch launch, Commit commit, Metrics& metrics,
                     SmsProgressStore& progress, LaunchConfirmations& confirmations, int threads)
    : config_(config),
      launch_(std::move(launch)),
      commit_(std::move(commit)),
      metrics_(metrics),
      progress_(progress),
      confirmations_(confirmations),
      seen_(kRememberCommands),
      pool_(threads, "sms") {}

void SmsSender::stop() {
    stopping_ = true;
    pool_.stop();
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
    DeliveryReport report;
    report.to = sms.to;
    report.room_id = sms.room_id;
    report.agent_message_id = sms.agent_message_id;
    report.carrier = "tropo";
    // Tropo sends what it is given: typographic punctuation is made GSM-7 here, as Twilio's
    // Smart Encoding would, so "it’s" does not turn the whole text into 70-character UCS-2 SMS.
    // Tropo sends no MMS: every file the agent sent is a link on its own line (attachment_text.h).
    const SmsSegments segments =
        split_sms(smart_encode(text_with_links(sms.text, sms.attachments)));
    report.segments = static_cast<int>(segments.parts.size());
    if (segments.parts.empty()) {
        report.status = "failed";
        report.reason = "empty text";
    } else if (segments.parts.size() > kMaxSegments) {
        report.status = "failed";
        report.reason = "text too long: " + std::to_string(segments.parts.size()) +
                        " SMS segments, at most " + std::to_string(kMaxSegments);
    } else {
        report.status = "sent";
        const size_t total = segments.parts.size();
        const ResumePoint start = resume_point(progress_.find(command.id), total);
        if (start.resumed) {
            spdlog::info(
                "sms: continuing at segment {} of {} (the first {} were sent before a "
                "restart): {}",
                start.first + 1, total, start.first, fields);
            metrics_
                .counter("tropo_sms_segments_skipped_total",
                         "Segments not sent again after a restart: confirmed before it")
                .add(start.first);
        } else if (start.split_changed) {
            spdlog::warn(
                "sms: recorded progress does not fit this text's {} segments; sending "
                "all of them: {}",
                total, fields);
        }
        if (start.relaunch) {
            spdlog::info(
                "sms: segment {} of {} was launched but never confirmed before a restart; "
                "launching it again: {}",
                start.first + 1, total, fields);
        }
        for (size_t i = start.first; i < total; ++i) {
            const SegmentResult result =
                send_segment(command.id, sms.to, segments.parts[i], i, total, fields);
            if (result.kind == SegmentResult::Kind::interrupted) {
                // Interrupted by shutdown: keep the command pending rather than report a failure
                // that did not happen.
                spdlog::info("sms: shutting down mid-command; it stays pending: {}", fields);
                return;  // never committed: stays held
            }
            if (result.kind == SegmentResult::Kind::failed) {
                report.status = "failed";
                report.reason = result.reason;
                if (i > 0) {
                    report.reason += " (after " + std::to_string(i) + " of " +
                                     std::to_string(segments.parts.size()) + " segments)";
                }
                break;
            }
            // On disk before the next launch: a crash from here on does not send this one again.
            progress_.record(command.id, SegmentProgress{i + 1, i + 1, total, unix_now()});
        }
    }
    metrics_
        .counter("tropo_sms_commands_total", "SendSms commands, by outcome",
                 {{"status", report.status}})
        .add();
    if (report.status == "sent") {
        spdlog::info("sms: sent in {} segment(s): {}", report.segments, fields);
    } else {
        spdlog::warn("sms: failed ({}): {}", report.reason, fields);
    }
    delivery::Transaction done;
    done.publish(topics::sms_reports,
                 make_event(event_type::delivery_report, kSource, command.key, report, command.id));
    done.complete(inbound.ref);
    commit_(std::move(done));
    progress_.forget(command.id);  // only now: the command will not be handed over again
}

SmsSender::SegmentResult SmsSender::send_segment(const std::string& command_id,
                                                 const std::string& to, const std::string& text,
                                                 std::size_t index, std::size_t total,
                                                 const std::string& fields) {
    using Kind = SegmentResult::Kind;
    // The same id on every launch of this segment: whichever of its sessions comes back first
    // sends it, and the webhook answers any later one with nothing.
    const std::string send_id = command_id + "-" + std::to_string(index + 1);
    const auto wait = config_.launch_confirm_timeout;
    for (int attempt = 1; attempt <= kLaunchAttempts; ++attempt) {
        // A session launched before (by the gateway before a restart) may have come back.
        if (confirmations_.sent(send_id)) return {};
        const ApiResponse answer = launch_(launch_request(config_.tropo_key, to, text, send_id));
        if (stopping_ && !answer.ok()) return {Kind::interrupted, {}};
        const LaunchOutcome outcome = read_launch_answer(answer.status, answer.body, answer.error);
        metrics_
            .counter("tropo_sessions_launched_total", "Tropo sessions launched to send SMS",
                     {{"result", outcome.launched ? "ok" : "failed"}})
            .add();
        if (!outcome.launched) return {Kind::failed, outcome.reason};
        // Launched, not yet sent: a crash from here on launches it again after the restart.
        progress_.record(command_id, SegmentProgress{index + 1, index, total, unix_now()});
        if (confirmations_.wait_sent(send_id, wait)) return {};
        if (stopping_) return {Kind::interrupted, {}};  // its session may still come; not again
        metrics_
            .counter("tropo_sms_relaunches_total",
                     "SMS segments launched again: Tropo's session did not come back in time")
            .add();
        spdlog::warn(
            "sms: Tropo accepted segment {} of {} (SMS {}) but its session did not come back "
            "within {} ms (launch {} of {}){}: {}",
            index + 1, total, send_id, wait.count(), attempt, kLaunchAttempts,
            attempt < kLaunchAttempts ? "; launching it again" : "", fields);
    }
    return {Kind::failed, "Tropo accepted the launch " + std::to_string(kLaunchAttempts) +
                              " times but its session never came back to the gateway to fetch "
                              "the text (waited " +
                              std::to_string(wait.count()) + " ms each time)"};
}

}  // namespace sb::tropo_gateway
