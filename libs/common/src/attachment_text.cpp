#include "switchboard/attachment_text.h"

#include "switchboard/text.h"

namespace sb {

bool is_mms_picture(std::string_view content_type) {
    const std::string type = to_lower(trim(content_type.substr(0, content_type.find(';'))));
    return type == "image/jpeg" || type == "image/jpg" || type == "image/png" ||
           type == "image/gif";
}

namespace {

// A name is the agent's (or the uploader's) choice: on the phone it must stay on its line.
std::string shown_name(std::string_view name) {
    std::string shown;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        shown += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
    }
    return std::string(trim(shown));
}

}  // namespace

std::string text_with_links(std::string_view text, const std::vector<Attachment>& files) {
    // Without files the text is the agent's, byte for byte (a splitter relies on its spaces).
    if (files.empty()) return std::string(text);
    std::string out(text);
    while (!out.empty() &&
           (out.back() == ' ' || out.back() == '\n' || out.back() == '\t' || out.back() == '\r')) {
        out.pop_back();
    }
    for (const Attachment& file : files) {
        if (!out.empty()) out += "\n";
        const std::string name = shown_name(file.name);
        if (!name.empty()) out += name + ": ";
        out += file.url;
    }
    return out;
}

}  // namespace sb
