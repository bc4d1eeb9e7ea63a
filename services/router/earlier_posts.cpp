#include "earlier_posts.h"

#include <algorithm>

namespace sb::router {
namespace {

constexpr std::string_view kPostIdPrefix = "post.";
constexpr size_t kNonceChars = 12;

}  // namespace

std::optional<std::string> post_id(size_t part, std::string_view nonce, std::string_view event_id) {
    if (event_id.size() > kMaxLinkedEventId) return std::nullopt;
    return std::string(kPostIdPrefix) + std::to_string(part) + "." +
           std::string(nonce.substr(0, kNonceChars)) + "." + std::string(event_id);
}

std::optional<std::pair<std::string, size_t>> parse_post_id(std::string_view id) {
    if (id.substr(0, kPostIdPrefix.size()) != kPostIdPrefix) return std::nullopt;
    id.remove_prefix(kPostIdPrefix.size());
    const size_t part_end = id.find('.');
    if (part_end == std::string_view::npos || part_end == 0 || part_end > 4) return std::nullopt;
    size_t part = 0;
    for (const char c : id.substr(0, part_end)) {
        if (c < '0' || c > '9') return std::nullopt;
        part = part * 10 + static_cast<size_t>(c - '0');
    }
    const size_t nonce_end = id.find('.', part_end + 1);
    if (nonce_end == std::string_view::npos || nonce_end + 1 >= id.size()) return std::nullopt;
    return std::make_pair(std::string(id.substr(nonce_end + 1)), part);
}

void EarlierPosts::note(std::string_view correlation_id) {
    const auto post = parse_post_id(correlation_id);
    if (!post) return;
    auto [entry, added] = posted_.emplace(post->first, 0);
    entry->second = std::max(entry->second, post->second + 1);
    if (added) order_.push_back(post->first);
    if (order_.size() > capacity_) {
        posted_.erase(order_.front());
        order_.pop_front();
    }
}

size_t EarlierPosts::posted(const std::string& event_id) const {
    const auto found = posted_.find(event_id);
    return found == posted_.end() ? 0 : found->second;
}

}  // namespace sb::router
