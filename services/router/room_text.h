#pragma once
// What the router writes: the posts it makes in rooms and the SMS it sends on its own. Pure
// functions, so the wording and the escaping are tested without the rest of the router.
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/events.h"

namespace sb::router {

// Spark's limit for `markdown` is 7,439 UTF-8 bytes; a post stays well under it.
inline constexpr size_t kMaxPostBytes = 7000;
// A customer's text longer than this many bytes is split over several posts...
inline constexpr size_t kPostChunkBytes = 3000;
// ...and beyond this many parts the rest is cut, saying so.
inline constexpr size_t kMaxPostParts = 8;

// Escapes everything markdown would interpret (and Spark mentions), so customer text renders
// exactly as typed.
std::string escape_markdown(std::string_view text);

// The markdown posts that show a customer's message in their room: a header with the channel,
// the time received and (web) who wrote, then the text, then files as links. One post unless
// the text is long. `forward_to` is named in the note of a voice call.
std::vector<std::string> customer_posts(const CustomerMessage& message,
                                        std::string_view forward_to);

// A customer message's time as shown in the room: re-printed when it parses.
std::string shown_time(std::string_view received_at);
// A file as a markdown list item: a link when it is a web URL, escaped text otherwise.
std::string file_line(std::string_view url);

// The SMS text of an agent's message: markdown rendered to plain text. Its files go beside it
// (SendSms.attachments), never as Webex URLs in it.
std::string agent_sms_text(const AgentMessage& message);
// The note in an agent message's thread for one of its files that was not passed on.
std::string file_refused_note(std::string_view refusal);

std::string welcome_sms(std::string_view company_name);
std::string agents_busy_sms(std::string_view company_name);
std::string customer_waiting_note(std::string_view room_title);
// What a delivery report tells the room: nothing (sent, delivered), or a note in the thread of
// the agent's reply saying what became of it.
enum class DeliveryNote { none, not_sent, not_delivered, opted_out };
DeliveryNote delivery_note_for(const DeliveryReport& report);
std::string delivery_note_text(DeliveryNote note, const DeliveryReport& report);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a UTF-8 boundary.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

}  // namespace sb::router
