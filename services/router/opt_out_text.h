#pragma once
// What the router writes about opt-outs: the notes in the customer's room and the SMS it sends
// where the carrier does not answer the keywords itself. Pure functions, so the wording is
// tested alone. Notes never contain the words "opted out" in lower case but where an SMS was
// not sent because of it, so an agent (or a test) looking for the blocked reply finds that one.
#include <optional>
#include <string>
#include <string_view>

#include "sms_keywords.h"
#include "switchboard/events.h"

namespace sb::router {

// The note a keyword SMS adds to the room, after the customer's own post of it: "**Opted out** ·
// <time>: they texted STOP…", "**Opted in** · …", "**Asked for help** · …". Nothing for an
// ordinary message, or one that did not come by SMS. A function of the message alone, so a new
// life makes the same note and posts it only once (it is the message's last post).
std::optional<std::string> keyword_note(const CustomerMessage& message);

// The SMS answering a keyword where the carrier does not (Tropo): one confirmation of a STOP or
// a START, and for HELP who we are and how to opt out. Empty for none.
std::string keyword_answer(Keyword keyword, std::string_view company_name,
                           std::string_view contact_number);

// In the thread of an agent's reply the router did not text because the customer opted out.
std::string reply_blocked_note(std::string_view number);

}  // namespace sb::router
