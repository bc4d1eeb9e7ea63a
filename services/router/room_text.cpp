#include "room_text.h"

#include <algorithm>
#include <cctype>

#include "switchboard/markdown.h"
#include "switchboard/time_format.h"

namespace sb::router {
namespace {

constexpr size_t kMaxHeaderFieldBytes = 200;
constexpr size_t kMaxFiles = 20;
constexpr size_t kMaxUrlBytes = 500;

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

std::string channel_label(std::string_view channel) {
    if (channel == "sms") return "SMS";
    if (channel == "web") return "Web form";
    if (channel == "api") return "API";
    if (channel == "voice") return "Voice call";
    return "Message";
}

}  // namespace

// A time as received, re-printed when it parses (so nothing odd reaches the room).
std::string shown_time(std::string_view received_at) {
    if (const auto parsed = parse_iso8601(received_at)) return iso8601(*parsed);
    return escape_markdown(utf8_prefix(received_at, 40));
}

// Files are links when they are web URLs, escaped text otherwise; characters that would end
// the markdown link early are percent-encoded.
std::string file_line(std::string_view url) {
    const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
    const std::string_view shown = utf8_prefix(url, kMaxUrlBytes);
    if (!web) return "- file: " + escape_markdown(shown);
    std::string encoded;
    for (const char c : shown) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '(' || c == ')' || c == '<' || c == '>' || c == ' ' || c == '[' || c == ']' ||
            c == '"' || c == '\\' || u < 0x20 || u == 0x7F) {
            static const char kHex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[u >> 4];
            encoded += kHex[u & 0xF];
        } else {
            encoded += c;
        }
    }
    std::string_view name = utf8_prefix(url.substr(url.rfind('/') + 1), 100);
    if (name.empty()) name = "file";
    return "- [" + escape_markdown(name) + "](" + encoded + ")";
}

namespace {

// Pieces of at most `size` bytes, cut on UTF-8 boundaries.
std::vector<std::string_view> chunks(std::string_view text, size_t size) {
    std::vector<std::string_view> parts;
    while (!text.empty()) {
        std::string_view part = utf8_prefix(text, size);
        if (part.empty()) part = text.substr(0, 1);  // malformed UTF-8: move on regardless
        parts.push_back(part);
        text.remove_prefix(part.size());
    }
    return parts;
}

// Markdown the customer supplied (the JSON API) is kept, but it may not mention anyone.
std::string defuse_mentions(std::string_view markdown) {
    std::string out;
    for (size_t i = 0; i < markdown.size(); ++i) {
        if (markdown[i] == '<' && i + 1 < markdown.size() && markdown[i + 1] == '@') out += '\\';
        out += markdown[i];
    }
    return out;
}

}  // namespace

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    size_t end = max_bytes;
    while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) --end;
    return text.substr(0, end);
}

std::string escape_markdown(std::string_view text) {
    static constexpr std::string_view kSpecial = "\\`*_{}[]()#+-.!<>|~@&";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        if (c == '\r') continue;
        if (kSpecial.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::vector<std::string> customer_posts(const CustomerMessage& message,
                                        std::string_view forward_to) {
    const bool missed_call = message.call && message.call->outcome == "missed";
    const std::string label = missed_call ? "Missed call" : channel_label(message.channel);
    std::string header = "**" + label + "** · " + shown_time(message.received_at);
    if (!message.name.empty()) {
        header += " · " + escape_markdown(utf8_prefix(message.name, kMaxHeaderFieldBytes));
    }
    if (!message.email.empty()) {
        header += " · " + escape_markdown(utf8_prefix(message.email, kMaxHeaderFieldBytes));
    }
    if (missed_call) {
        header += " · nobody at " + escape_markdown(forward_to) + " answered";
        if (!message.call->detail.empty()) {
            header += " (" + escape_markdown(utf8_prefix(message.call->detail, 40)) + ")";
        }
    } else if (message.channel == "voice") {
        header += " · forwarded to " + escape_markdown(forward_to);
    }

    std::vector<std::string> bodies;
    if (!message.markdown.empty()) {
        for (std::string_view part : chunks(message.markdown, kPostChunkBytes)) {
            bodies.push_back(defuse_mentions(part));
        }
    } else {
        for (std::string_view part : chunks(message.text, kPostChunkBytes)) {
            bodies.push_back(escape_markdown(part));
        }
    }
    bool cut = false;
    if (bodies.size() > kMaxPostParts) {
        bodies.resize(kMaxPostParts);
        cut = true;
    }
    std::vector<std::string> posts;
    if (bodies.empty()) bodies.emplace_back();
    for (size_t i = 0; i < bodies.size(); ++i) {
        std::string post = header;
        if (bodies.size() > 1) {
            post += " (part " + std::to_string(i + 1) + "/" + std::to_string(bodies.size()) + ")";
        }
        if (!bodies[i].empty()) post += "\n\n" + bodies[i];
        if (cut && i + 1 == bodies.size()) post += "\n\n*(the rest of this message was too long)*";
        posts.push_back(std::move(post));
    }
    // Files follow as links, on the last post while it has room, then on posts of their own.
    const size_t shown_files = std::min<size_t>(message.files.size(), kMaxFiles);
    for (size_t i = 0; i < shown_files; ++i) {
        std::string line = file_line(message.files[i]);
        if (i == 0) line.insert(0, 1, '\n');
        if (posts.back().size() + 1 + line.size() > kMaxPostBytes) {
            posts.push_back(header + " (files)\n");
        }
        posts.back() += "\n" + line;
    }
    if (message.files.size() > shown_files) posts.back() += "\n- (more files not shown)";
    return posts;
}

std::string agent_sms_text(const AgentMessage& message) {
    // Files travel as SendSms attachments at spark-gateway's public links: a Webex content URL
    // (message.files) needs the proxy's token, so it is never put in a customer's SMS.
    return !message.markdown.empty() ? markdown_to_plain(message.markdown) : message.text;
}

std::string file_refused_note(std::string_view refusal) {
    return "**File not sent.** " + escape_markdown(utf8_prefix(refusal, 1000));
}

std::string welcome_sms(std::string_view company_name) {
    return "Thanks for contacting " + std::string(company_name) +
           ". Replies to this number reach our team. Reply STOP to opt out.";
}

std::string agents_busy_sms(std::string_view company_name) {
    return "Thanks for your patience: all " + std::string(company_name) +
           " agents are busy right now and will answer you soon.";
}

std::string customer_waiting_note(std::string_view room_title) {
    return "**Customer waiting**: " + escape_markdown(utf8_prefix(room_title, 300)) +
           " has no agent available. Please join the room.";
}

DeliveryNote delivery_note_for(const DeliveryReport& report) {
    if (report.status == "failed") return DeliveryNote::not_sent;
    if (report.status == "undelivered") return DeliveryNote::not_delivered;
    if (report.status == "opted_out") return DeliveryNote::opted_out;
    return DeliveryNote::none;  // sent, delivered: nothing to tell
}

std::string delivery_note_text(DeliveryNote note, const DeliveryReport& report) {
    const std::string number = escape_markdown(report.to);
    const std::string why =
        report.reason.empty() ? "" : ": " + escape_markdown(utf8_prefix(report.reason, 500));
    switch (note) {
        case DeliveryNote::opted_out:
            return "**SMS not sent**: " + number +
                   " has opted out of SMS (they replied STOP), so this reply was not texted to "
                   "them. Nothing reaches them by SMS until they text START; call them if it "
                   "cannot wait.";
        case DeliveryNote::not_delivered:
            return "**SMS not delivered**: the SMS to " + number + " was not delivered" + why + ".";
        default:
            return "**SMS not sent**: the SMS to " + number + " could not be sent" + why + ".";
    }
}

}  // namespace sb::router
