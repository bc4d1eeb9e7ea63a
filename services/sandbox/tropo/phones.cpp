#include "phones.h"

namespace sb::sandbox::tropo {
namespace {

using json = nlohmann::json;

json text_json(const TextRecord& record, const char* peer_name) {
    return json{{peer_name, record.peer},
                {"text", record.text},
                {"at", record.at},
                {"session_id", record.session_id}};
}

json call_json(const CallRecord& call) {
    json out{{"call_id", call.call_id}, {"session_id", call.session_id},
             {"to", call.to},           {"started_at", call.started_at},
             {"outcome", call.outcome}, {"heard", call.heard}};
    if (!call.target.empty()) out["target"] = call.target;
    if (!call.dial_status.empty()) out["dial_status"] = call.dial_status;
    if (!call.result_event.empty()) {
        out["result_event"] = call.result_event;
        out["result_status"] = call.result_status;
    }
    if (!call.ended_at.empty()) out["ended_at"] = call.ended_at;
    if (!call.error.empty()) out["error"] = call.error;
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

std::optional<json> Phones::phone(const std::string& number) const {
    std::lock_guard lock(mutex_);
    const auto found = phones_.find(number);
    if (found == phones_.end()) return std::nullopt;
    json inbox = json::array();
    for (const TextRecord& record : found->second.inbox) inbox.push_back(text_json(record, "from"));
    json outbox = json::array();
    for (const TextRecord& record : found->second.outbox) outbox.push_back(text_json(record, "to"));
    json calls = json::array();
    for (const CallRecord& call : found->second.calls) calls.push_back(call_json(call));
    return json{{"number", number}, {"inbox", inbox}, {"sent", outbox}, {"calls", calls}};
}

void Phones::clear() {
    std::lock_guard lock(mutex_);
    phones_.clear();
}

}  // namespace sb::sandbox::tropo
