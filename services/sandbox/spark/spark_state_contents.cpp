// Webex REST rules for files posted with messages: GET /v1/contents/{id} answers the bytes to
// members of the message's room, after 423 + Retry-After while "scanning" (a knob).
#include "message_files.h"
#include "spark_state.h"

namespace sb::sandbox::spark {

void SparkState::set_public_base(const std::string& public_base) {
    std::lock_guard lock(mutex_);
    public_base_ = public_base;
}

ContentAnswer SparkState::get_content(const std::string& caller, const std::string& id) {
    std::lock_guard lock(mutex_);
    ContentAnswer answer;
    const auto found = contents_.find(id);
    if (found == contents_.end() || !is_member(found->second.room_id, caller)) {
        answer.status = 404;
        answer.message = "Could not find a content with the specified id.";
        return answer;
    }
    if (found->second.scans_left > 0) {
        --found->second.scans_left;
        answer.status = 423;
        answer.message = "File is being scanned for malware.";
        answer.retry_after = scan_retry_after_;
        return answer;
    }
    if (found->second.verdict == "infected") {
        answer.status = 410;
        answer.message = "The file was found to contain malware and cannot be downloaded.";
        return answer;
    }
    if (found->second.verdict == "unscannable") {
        answer.status = 428;
        answer.message =
            "The file could not be scanned for malware; download it with "
            "allow=unscannable to accept the risk.";
        return answer;
    }
    answer.content = found->second;
    return answer;
}

std::optional<Content> SparkState::admin_content(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = contents_.find(id);
    if (found == contents_.end()) return std::nullopt;
    return found->second;
}

void SparkState::admin_set_scanning(int answers, int retry_after, const std::string& verdict) {
    std::lock_guard lock(mutex_);
    scan_answers_ = answers;
    scan_retry_after_ = retry_after;
    scan_verdict_ = verdict;
}

}  // namespace sb::sandbox::spark
