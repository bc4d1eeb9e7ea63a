#pragma once
// How an agent's files reach a phone, for every carrier gateway: which ones a carrier can show
// as an MMS picture, and the SMS text that carries the others as links.
#include <string>
#include <string_view>
#include <vector>

#include "switchboard/events.h"

namespace sb {

// The types Twilio accepts *and* formats for delivery on carrier networks (its "Accepted content
// types for media": image/jpeg, image/jpg, image/gif, image/png). Other types Twilio passes on
// untouched and many phones cannot show, so they travel as links. Parameters (";charset=…")
// and case are ignored.
bool is_mms_picture(std::string_view content_type);

// `text` unchanged when there are no files; else `text` without trailing whitespace, then one
// line per file: "<name>: <url>" (the name without line breaks or control
// characters), or the URL alone when there is no name. Each URL stands on its own line with
// whitespace around it, so a splitter that cuts only at whitespace never cuts it.
std::string text_with_links(std::string_view text, const std::vector<Attachment>& files);

}  // namespace sb
