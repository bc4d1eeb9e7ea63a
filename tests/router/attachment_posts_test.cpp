// A customer's attachments in the room (attachment_posts.h): one Webex file per post, after the
// text, with a caption; what Webex refuses for good becomes a link.
#include "attachment_posts.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::router;

namespace {

CustomerMessage mms(std::string text, std::vector<Attachment> attachments) {
    CustomerMessage message;
    message.customer = "+12088675309";
    message.channel = "sms";
    message.text = std::move(text);
    message.received_at = "2026-05-01T10:00:00.000Z";
    message.attachments = std::move(attachments);
    return message;
}

const Attachment kPicture{"https://gw.example/api/twilio/media/t1", "image/jpeg", ""};
const Attachment kClip{"https://gw.example/api/twilio/media/t2", "video/mp4", "clip.mp4"};

}  // namespace

TEST_CASE("attachments: the text first, then one file per post, each captioned, in order") {
    const auto posts = room_posts(mms("look", {kPicture, kClip}), "+18005550199");
    REQUIRE(posts.size() == 3);
    CHECK(posts[0].file.empty());
    CHECK(posts[0].markdown.find("look") != std::string::npos);
    CHECK(posts[1] ==
          RoomPost{"**MMS** · 2026-05-01T10:00:00.000Z · picture 1 of 2", kPicture.url});
    CHECK(posts[2] ==
          RoomPost{"**MMS** · 2026-05-01T10:00:00.000Z · video 2 of 2 · clip\\.mp4", kClip.url});
}

TEST_CASE("attachments: table of what each message becomes") {
    struct Row {
        const char* name;
        CustomerMessage message;
        std::vector<std::string> files;  // per post, "" for a text post
    };
    CustomerMessage web = mms("hi", {kPicture});
    web.channel = "web";
    std::vector<Attachment> twelve(12, kPicture);
    const Row rows[] = {
        {"no attachments: the text post alone", mms("hello", {}), {""}},
        {"a picture alone: no empty text post, the caption says it all",
         mms("", {kPicture}),
         {kPicture.url}},
        {"files (links) stay on the text post",
         [] {
             CustomerMessage m = mms("", {kPicture});
             m.files = {"https://example.com/a.pdf"};
             return m;
         }(),
         {"", kPicture.url}},
        {"a web form's picture", web, {"", kPicture.url}},
        {"a URL Webex cannot fetch is a text post from the start",
         mms("", {Attachment{"ftp://x/y.png", "image/png", ""}}),
         {""}},
        {"more than an MMS can carry is cut", mms("", twelve),
         std::vector<std::string>(kMaxAttachments, kPicture.url)},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        const auto posts = room_posts(row.message, "+18005550199");
        std::vector<std::string> files;
        files.reserve(posts.size());
        for (const RoomPost& post : posts) files.push_back(post.file);
        CHECK(files == row.files);
    }
    const auto cut = room_posts(mms("", twelve), "+18005550199");
    CHECK(cut.back().markdown.find("2 more not shown") != std::string::npos);
    const auto web_posts = room_posts(web, "+18005550199");
    CHECK(web_posts[1].markdown.rfind("**Web form** · ", 0) == 0);
}

TEST_CASE("attachments: a file Webex refused becomes its caption, the link and why") {
    const RoomPost refused{"**MMS** · t · picture 1 of 1", "https://gw.example/media/a(1).jpg"};
    const RoomPost text = file_refused(refused, "file too big_");
    CHECK(text.file.empty());
    CHECK(text.markdown.rfind("**MMS** · t · picture 1 of 1\n\n", 0) == 0);
    CHECK(text.markdown.find("(https://gw.example/media/a%281%29.jpg)") != std::string::npos);
    CHECK(text.markdown.find("Webex did not take this file: file too big\\_") != std::string::npos);
}

TEST_CASE("attachments: which failures are for good") {
    for (const int status : {400, 401, 413, 415, 422}) {
        CAPTURE(status);
        CHECK(refused_for_good(status));
    }
    // Later (throttled, busy, the network, 5xx) or handled as a room gone.
    for (const int status : {0, 200, 403, 404, 408, 410, 423, 429, 500, 502, 503}) {
        CAPTURE(status);
        CHECK_FALSE(refused_for_good(status));
    }
}
