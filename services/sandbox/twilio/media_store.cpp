#include "media_store.h"

#include "message_resource.h"
#include "switchboard/crypto.h"

namespace sb::sandbox::twilio {

StoredMedia MediaStore::add(const std::string& message_sid, const std::string& content_type,
                            std::string bytes) {
    StoredMedia media{message_sid, new_sid("ME"), content_type, std::move(bytes),
                      crypto::random_hex(24)};
    std::lock_guard lock(mutex_);
    bytes_ += media.bytes.size();
    token_of_[media.media_sid] = media.cdn_token;
    order_.push_back(media.cdn_token);
    by_token_[media.cdn_token] = media;
    evict_locked();
    return media;
}

void MediaStore::evict_locked() {
    while (bytes_ > budget_ && order_.size() > 1) {
        const auto found = by_token_.find(order_.front());
        if (found != by_token_.end()) {
            bytes_ -= found->second.bytes.size();
            token_of_.erase(found->second.media_sid);
            by_token_.erase(found);
        }
        order_.pop_front();
    }
}

std::optional<StoredMedia> MediaStore::by_sid(const std::string& message_sid,
                                              const std::string& media_sid) const {
    std::lock_guard lock(mutex_);
    const auto token = token_of_.find(media_sid);
    if (token == token_of_.end()) return std::nullopt;
    const auto found = by_token_.find(token->second);
    if (found == by_token_.end() || found->second.message_sid != message_sid) return std::nullopt;
    return found->second;
}

std::optional<StoredMedia> MediaStore::by_token(const std::string& token) const {
    std::lock_guard lock(mutex_);
    const auto found = by_token_.find(token);
    if (found == by_token_.end()) return std::nullopt;
    return found->second;
}

size_t MediaStore::count() const {
    std::lock_guard lock(mutex_);
    return by_token_.size();
}

void MediaStore::clear() {
    std::lock_guard lock(mutex_);
    by_token_.clear();
    token_of_.clear();
    order_.clear();
    bytes_ = 0;
}

}  // namespace sb::sandbox::twilio
