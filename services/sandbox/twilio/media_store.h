#pragma once
// MMS pictures the sandbox holds, as Twilio does: each is media ME… of a message MM…, served
// by its API URL (behind Basic auth) through a redirect to an unguessable CDN path. The oldest
// pictures go once the store holds more than its byte budget. Thread-safe.
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sb::sandbox::twilio {

struct StoredMedia {
    std::string message_sid;
    std::string media_sid;
    std::string content_type;
    std::string bytes;
    std::string cdn_token;
};

class MediaStore {
  public:
    explicit MediaStore(size_t budget_bytes = 64 * 1024 * 1024) : budget_(budget_bytes) {}
    // Stores the picture under a fresh ME… sid and CDN token; returns what was stored.
    StoredMedia add(const std::string& message_sid, const std::string& content_type,
                    std::string bytes);
    std::optional<StoredMedia> by_sid(const std::string& message_sid,
                                      const std::string& media_sid) const;
    std::optional<StoredMedia> by_token(const std::string& token) const;
    size_t count() const;
    void clear();

  private:
    void evict_locked();
    size_t budget_;
    mutable std::mutex mutex_;
    std::map<std::string, StoredMedia> by_token_;
    std::map<std::string, std::string> token_of_;  // media sid -> token
    std::deque<std::string> order_;                // tokens, oldest first
    size_t bytes_ = 0;
};

}  // namespace sb::sandbox::twilio
