#pragma once
// The simulated phones: what each received (its inbox, in order), what it sent, and what
// became of each call it placed. Thread-safe.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sb::sandbox::tropo {

struct TextRecord {
    std::string peer;  // the other side: the company number, or where it was sent
    std::string text;
    std::string at;  // ISO 8601
    std::string session_id;
};

struct CallRecord {
    std::string call_id;
    std::string session_id;
    std::string to;
    std::string started_at;
    std::string outcome =
        "ringing";  // transferred | unanswered | rejected | hung up | redirected | ended | failed
    std::string target;  // where it was transferred or redirected
    // How the transfer ended, as the call asked ("answer"): completed, no-answer, busy, failed
    // (Twilio's DialCallStatus words, so the phone shows either carrier alike).
    std::string dial_status;
    std::string result_event;  // the document event that fired: continue | incomplete
    int result_status = 0;     // what the application answered the result with (0: not posted)
    std::string ended_at;
    std::vector<std::string> heard;  // what Tropo said to the caller
    std::string error;
};

class Phones {
  public:
    void received(const std::string& number, TextRecord record);
    void sent(const std::string& number, TextRecord record);
    void call_placed(const std::string& number, CallRecord record);
    // Applies `update` to the call, if known.
    void update_call(const std::string& number, const std::string& call_id,
                     const std::function<void(CallRecord&)>& update);

    nlohmann::json list() const;
    std::optional<nlohmann::json> phone(const std::string& number) const;
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

}  // namespace sb::sandbox::tropo
