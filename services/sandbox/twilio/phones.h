#pragma once
// The simulated phones of the Twilio half: what each received (its inbox, in order), what it
// sent, and what became of each call it placed. The JSON is the Tropo half's shape (the demo's
// phone reads both) plus each text's pictures and the phone's opt-out state. Thread-safe.
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sb::sandbox::twilio {

struct MediaRef {
    std::string content_type;
    std::string url;  // the sandbox's own /twilio/cdn/… path: the demo page shows it
};

struct TextRecord {
    std::string peer;  // the other side: the company number, or where it was sent
    std::string text;
    std::string at;           // ISO 8601
    std::string message_sid;  // SM…/MM…
    std::vector<MediaRef> media;
};

struct DialRecord {
    std::string number;
    int timeout = 30;
    std::string action;
    std::string method;
    std::string status;  // DialCallStatus: completed, no-answer, busy, failed
    std::string dial_call_sid;
    int duration = 0;
    int action_status = 0;  // what the action URL answered (0: not reached)
};

struct CallRecord {
    std::string call_id;  // CallSid
    std::string to;
    std::string started_at;
    // ringing | transferred | unanswered | rejected | hung up | ended | failed
    std::string outcome = "ringing";
    std::string target;  // where it was dialled
    std::string ended_at;
    std::vector<std::string> heard;  // what Twilio said to the caller
    std::vector<DialRecord> dials;
    std::string error;
};

class Phones {
  public:
    void received(const std::string& number, TextRecord record);
    void sent(const std::string& number, TextRecord record);
    void call_placed(const std::string& number, CallRecord record);
    void update_call(const std::string& number, const std::string& call_id,
                     const std::function<void(CallRecord&)>& update);

    nlohmann::json list() const;
    // Every phone answers, a new one empty; `opted_out` is the refusal list's word.
    nlohmann::json phone(const std::string& number, bool opted_out) const;
    void clear();

  private:
    struct Phone {
        std::vector<TextRecord> inbox;
        std::vector<TextRecord> outbox;
        std::vector<CallRecord> calls;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Phone> phones_;
};

}  // namespace sb::sandbox::twilio
