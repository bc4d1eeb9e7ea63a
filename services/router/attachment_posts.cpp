#include "attachment_posts.h"

#include <algorithm>

#include "room_text.h"

namespace sb::router {
namespace {

bool is_web_url(std::string_view url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string attachment_label(std::string_view channel) {
    if (channel == "sms") return "MMS";
    if (channel == "web") return "Web form";
    if (channel == "api") return "API";
    return "Attachment";
}

// What the file is, from its MIME type: a picture, a video, a recording or a file.
std::string kind_of(std::string_view content_type) {
    if (content_type.rfind("image/", 0) == 0) return "picture";
    if (content_type.rfind("video/", 0) == 0) return "video";
    if (content_type.rfind("audio/", 0) == 0) return "recording";
    return "file";
}

bool has_text(const CustomerMessage& message) {
    return !message.text.empty() || !message.markdown.empty() || !message.files.empty();
}

}  // namespace

std::string attachment_caption(const CustomerMessage& message, size_t index, size_t count) {
    const Attachment& attachment = message.attachments.at(index);
    std::string caption = "**" + attachment_label(message.channel) + "** · " +
                          shown_time(message.received_at) + " · " +
                          kind_of(attachment.content_type) + " " + std::to_string(index + 1) +
                          " of " + std::to_string(count);
    if (!attachment.name.empty()) {
        caption += " · " + escape_markdown(utf8_prefix(attachment.name, 100));
    }
    return caption;
}

RoomPost file_refused(const RoomPost& refused, std::string_view reason) {
    std::string markdown = refused.markdown + "\n\n" + file_line(refused.file);
    markdown += "\n\n*(Webex did not take this file";
    if (!reason.empty()) markdown += ": " + escape_markdown(utf8_prefix(reason, 200));
    markdown += "; the link may stop working)*";
    return RoomPost{std::move(markdown), ""};
}

std::vector<RoomPost> room_posts(const CustomerMessage& message, std::string_view forward_to) {
    std::vector<RoomPost> posts;
    if (has_text(message) || message.attachments.empty()) {
        for (std::string& text : customer_posts(message, forward_to)) {
            posts.push_back(RoomPost{std::move(text), ""});
        }
    }
    const size_t count = std::min(message.attachments.size(), kMaxAttachments);
    for (size_t i = 0; i < count; ++i) {
        RoomPost post{attachment_caption(message, i, count), message.attachments[i].url};
        if (message.attachments.size() > count && i + 1 == count) {
            post.markdown +=
                " *(" + std::to_string(message.attachments.size() - count) + " more not shown)*";
        }
        if (!is_web_url(post.file)) {
            post = file_refused(post, "it is not at a web address");
        }
        posts.push_back(std::move(post));
    }
    return posts;
}

bool refused_for_good(int status) {
    if (status < 400 || status > 499) return false;  // 5xx, the network: try again later
    // Throttled, timed out, busy scanning: later. Room gone: handled as such, not here.
    return status != 408 && status != 423 && status != 429 && status != 403 && status != 404 &&
           status != 410;
}

}  // namespace sb::router
