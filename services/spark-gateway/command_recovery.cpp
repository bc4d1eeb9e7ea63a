#include "command_recovery.h"

#include <openssl/sha.h>

#include <array>

#include "switchboard/time_format.h"
#include "webex_translate.h"

namespace sb::spark_gateway {
namespace {

// UTF-8 of the marker's characters: all render as nothing, none is whitespace (so no trimming
// removes them).
constexpr std::string_view kStart = "\xE2\x81\xA0";  // U+2060 WORD JOINER
constexpr std::array<std::string_view, 4> kDigits = {
    "\xE2\x80\x8B",  // U+200B ZERO WIDTH SPACE
    "\xE2\x80\x8C",  // U+200C ZERO WIDTH NON-JOINER
    "\xE2\x80\x8D",  // U+200D ZERO WIDTH JOINER
    "\xE2\x81\xA3",  // U+2063 INVISIBLE SEPARATOR
};
constexpr size_t kDigitCount = 24;  // 48 bits: no two posts in one room's recent past collide
constexpr size_t kCharBytes = 3;

bool is_digit_at(const std::string& text, size_t at) {
    if (at + kCharBytes > text.size()) return false;
    for (const std::string_view digit : kDigits) {
        if (text.compare(at, kCharBytes, digit) == 0) return true;
    }
    return false;
}

// Where a marker starts in `text` at or after `from`, or npos.
size_t find_marker(const std::string& text, size_t from) {
    for (size_t at = text.find(kStart, from); at != std::string::npos;
         at = text.find(kStart, at + 1)) {
        bool complete = true;
        for (size_t i = 0; i < kDigitCount && complete; ++i) {
            complete = is_digit_at(text, at + kCharBytes * (1 + i));
        }
        if (complete) return at;
    }
    return std::string::npos;
}

constexpr size_t kMarkerBytes = kCharBytes * (1 + kDigitCount);

}  // namespace

std::string post_marker(const std::string& event_id) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(event_id.data()), event_id.size(), digest);
    std::string marker(kStart);
    for (size_t i = 0; i < kDigitCount; ++i) {
        const unsigned bits = (digest[i / 4] >> (2 * (i % 4))) & 3u;
        marker += kDigits[bits];
    }
    return marker;
}

bool has_post_marker(const std::string& text) {
    return find_marker(text, 0) != std::string::npos;
}

std::string without_post_markers(const std::string& text) {
    std::string out;
    size_t from = 0;
    for (size_t at = find_marker(text, 0); at != std::string::npos; at = find_marker(text, from)) {
        out.append(text, from, at - from);
        from = at + kMarkerBytes;
    }
    out.append(text, from, std::string::npos);
    return out;
}

nlohmann::json post_body(const PostMessage& request, const std::string& marker) {
    const bool fits = request.text.size() + marker.size() <= kMaxMessageBytes &&
                      request.markdown.size() + marker.size() <= kMaxMessageBytes;
    const std::string suffix = fits ? marker : std::string();
    nlohmann::json body = {{"roomId", request.room_id}};
    if (!request.text.empty()) body["text"] = request.text + suffix;
    if (!request.markdown.empty()) body["markdown"] = request.markdown + suffix;
    // Webex takes one file per message, as a URL it fetches itself.
    if (!request.files.empty()) body["files"] = nlohmann::json::array({request.files.front()});
    if (!request.parent_id.empty()) body["parentId"] = request.parent_id;
    return body;
}

bool retry_without_parent(const PostMessage& request, int status) {
    return status == 400 && !request.parent_id.empty();
}

bool may_have_run_before(const Envelope& command, WallClock::time_point run_started,
                         std::chrono::seconds clock_allowance) {
    const auto stamped = parse_iso8601(command.time);
    if (!stamped) return true;  // cannot tell: look, it costs one call
    return *stamped < run_started + clock_allowance;
}

std::optional<AlreadyDone> find_own_post(const PostMessage& request, const std::string& marker,
                                         const Envelope& command, const std::string& self_id,
                                         const nlohmann::json& recent_messages,
                                         std::chrono::seconds clock_allowance) {
    if (!recent_messages.is_array() || self_id.empty()) return std::nullopt;
    const auto stamped = parse_iso8601(command.time);
    std::optional<AlreadyDone> same_content;
    for (const nlohmann::json& message : recent_messages) {
        if (text_field(message, "personId") != self_id) continue;
        if (text_field(message, "roomId") != request.room_id) continue;
        const std::string id = text_field(message, "id");
        if (id.empty()) continue;
        const std::string text = text_field(message, "text");
        const std::string markdown = text_field(message, "markdown");
        if (text.find(marker) != std::string::npos || markdown.find(marker) != std::string::npos) {
            return AlreadyDone{id};
        }
        if (same_content || has_post_marker(text) || has_post_marker(markdown)) continue;
        // Without a marker only the content and the time can tell; an older post of the same
        // text (before the command existed) is not this one.
        const bool same = (request.markdown.empty() || markdown == request.markdown) &&
                          (!request.markdown.empty() || text == request.text);
        const auto created = parse_iso8601(text_field(message, "created"));
        const bool after = stamped && created && *created >= *stamped - clock_allowance;
        if (same && after) same_content = AlreadyDone{id};
    }
    return same_content;
}

std::optional<AlreadyDone> find_created_room(const CreateRoom& request, const std::string& self_id,
                                             const nlohmann::json& recent_rooms) {
    if (!recent_rooms.is_array() || request.title.empty()) return std::nullopt;
    std::optional<AlreadyDone> by_someone_else;
    for (const nlohmann::json& room : recent_rooms) {
        if (text_field(room, "title") != request.title) continue;
        const std::string id = text_field(room, "id");
        if (id.empty()) continue;
        if (!self_id.empty() && text_field(room, "creatorId") == self_id) return AlreadyDone{id};
        if (!by_someone_else) by_someone_else = AlreadyDone{id};
    }
    return by_someone_else;
}

}  // namespace sb::spark_gateway
