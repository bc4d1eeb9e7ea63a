#include "phones.h"

namespace sb::sandbox::twilio {
namespace {

using json = nlohmann::json;

json text_json(const TextRecord& record, const char* peer_name) {
    json media = json::array();
    for (const MediaRef& item : record.media) {
        media.push_back({{"content_type", item.content_type}, {"url", item.url}});
    }
    return json{{peer_name, record.peer},
                {"text", record.text},
                {"at", record.at},
                {"session_id", record.message_sid},
                {"message_sid", record.message_sid},
                {"media", media}};
}

json dial_json(const DialRecord& dial) {
    return json{{"number", dial.number},     {"timeout", dial.timeout},
                {"action", dial.action},     {"method", dial.method},
                {"status", dial.status},     {"dial_call_sid", dial.dial_call_sid},
                {"duration", dial.duration}, {"action_status", dial.action_status}};
}

json call_json(const CallRecord& call) {
    json dials = json::array();
    for (const DialRecord& dial : call.dials) dials.push_back(dial_json(dial));
    json out{{"call_id", call.call_id}, {"session_id", call.call_id},
             {"to", call.to},           {"started_at", call.started_at},
             {"outcome", call.outcome}, {"heard", call.heard},
             {"dials", dials}};
    if (!call.target.empty()) out["target"] = call.target;
    if (!call.ended_at.empty()) out["ended_at"] = call.ended_at;
    if (!call.error.empty()) out["error"] = call.error;
    if (!call.dials.empty()) out["dial_status"] = call.dials.back().status;
    return out;
}

}  // namespace

void Phones::received(const std::string& number, TextRecord record) {
    std::lock_guard lock(mutex_);
    phones_[number].inbox.push_back(std::move(record));
}

void Phones::sent(const std::string& number, TextRecord record) {
    std::lock_guard lock(mutex_);
    phones_[number].outbox.push_back(std::move(record));
}

void Phones::call_placed(const std::string& number, CallRecord record) {
    std::lock_guard lock(mutex_);
    phones_[number].calls.push_back(std::move(record));
}

void Phones::update_call(const std::string& number, const std::string& call_id,
                         const std::function<void(CallRecord&)>& update) {
    std::lock_guard lock(mutex_);
    const auto phone = phones_.find(number);
    if (phone == phones_.end()) return;
    for (CallRecord& call : phone->second.calls) {
        if (call.call_id == call_id) update(call);
    }
}

json Phones::list() const {
    std::lock_guard lock(mutex_);
    json phones = json::array();
    for (const auto& [number, phone] : phones_) {
        phones.push_back({{"number", number},
                          {"received", phone.inbox.size()},
                          {"sent", phone.outbox.size()},
                          {"calls", phone.calls.size()}});
    }
    return json{{"phones", phones}};
}

json Phones::phone(const std::string& number, bool opted_out) const {
    std::lock_guard lock(mutex_);
    json inbox = json::array();
    json outbox = json::array();
    json calls = json::array();
    const auto found = phones_.find(number);
    if (found != phones_.end()) {
        for (const TextRecord& record : found->second.inbox) {
            inbox.push_back(text_json(record, "from"));
        }
        for (const TextRecord& record : found->second.outbox) {
            outbox.push_back(text_json(record, "to"));
        }
        for (const CallRecord& call : found->second.calls) calls.push_back(call_json(call));
    }
    return json{{"number", number},
                {"inbox", inbox},
                {"sent", outbox},
                {"calls", calls},
                {"opted_out", opted_out}};
}

void Phones::clear() {
    std::lock_guard lock(mutex_);
    phones_.clear();
}

}  // namespace sb::sandbox::twilio
