#pragma once
// The posts that show a customer's message in the room, files included: its text posts
// (room_text.h), then one post per attachment (an MMS picture) carrying it as a Webex file,
// each with a short caption, in order. Webex takes one file per message. A file post Webex
// refuses for good becomes a text post with the link and why, so the customer's line moves on.
// Pure functions, table-tested.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/events.h"

namespace sb::router {

// An MMS carries at most 10 media; more than this is cut, saying so.
inline constexpr size_t kMaxAttachments = 10;

// One post in a customer's room: markdown, and at most one URL Webex fetches as a file.
struct RoomPost {
    std::string markdown;
    std::string file;  // empty: a text post
    bool operator==(const RoomPost& other) const {
        return markdown == other.markdown && file == other.file;
    }
};

// Every post of the message, in order. A message with attachments and nothing else has no text
// post of its own: the captions say who sent what, when. An attachment whose URL is not a web
// URL cannot be fetched by Webex: it is shown as text from the start.
std::vector<RoomPost> room_posts(const CustomerMessage& message, std::string_view forward_to);

// The caption of attachment `index` (0-based) of `count`: "**MMS** · <time> · picture 1 of 2".
std::string attachment_caption(const CustomerMessage& message, size_t index, size_t count);

// What replaces a file post Webex refused: the caption, the file as a link, and why.
RoomPost file_refused(const RoomPost& refused, std::string_view reason);

// Whether a failed post's HTTP status says Webex will never take that file (a 4xx other than
// throttling, a timeout, or the room being gone): posting it again would block the line forever.
bool refused_for_good(int status);

}  // namespace sb::router
