// Agent -> customer files: the reply's SendSms carries spark-gateway's public links, a file alone
// is still sent, and each file spark-gateway refused is noted in the message's thread.
#include <doctest/doctest.h>

#include "core_harness.h"

using namespace sb;
using namespace sb::router;
using namespace sb::router::testing;

namespace {

const Attachment kPicture{"https://sb.example/api/files/aa11", "image/png", "map.png"};
const Attachment kPdf{"https://sb.example/api/files/bb22", "application/pdf", "terms.pdf"};

}  // namespace

TEST_CASE("agent files: the SMS carries the public links, never a Webex URL") {
    struct Row {
        const char* name;
        std::string text;
        std::vector<Attachment> attachments;
        std::vector<std::string> refusals;
        bool sms;
        size_t notes;
    };
    const std::vector<Row> rows = {
        {"text and a picture", "Here is the map", {kPicture}, {}, true, 0},
        {"a picture alone is still sent", "", {kPicture}, {}, true, 0},
        {"two files", "Both", {kPicture, kPdf}, {}, true, 0},
        {"one refused, the rest goes",
         "Both",
         {kPicture},
         {"\"big.mov\" was not sent: too large."},
         true,
         1},
        {"only a refused file: a note, no SMS",
         "",
         {},
         {"A file was not sent: malware."},
         false,
         1},
        {"text with a refused file: the text goes, the note too",
         "See file",
         {},
         {"A file was not sent: malware."},
         true,
         1},
    };
    for (const Row& row : rows) {
        const std::string name = row.name;
        CAPTURE(name);
        Harness h;
        h.start_with({room("r1", "2088675309")});
        const size_t since = h.published.size();
        AgentMessage message = agent_says("r1", "2088675309", row.text, "m1");
        message.files = {"https://webexapis.com/v1/contents/Y2lz"};
        message.attachments = row.attachments;
        message.file_refusals = row.refusals;
        h.send(event_type::agent_message, message);
        const auto texts = h.payloads<SendSms>(event_type::send_sms, since);
        REQUIRE(texts.size() == (row.sms ? 1U : 0U));
        if (row.sms) {
            CHECK(texts[0].text == row.text);
            CHECK(texts[0].text.find("webexapis") == std::string::npos);
            REQUIRE(texts[0].attachments.size() == row.attachments.size());
            for (size_t i = 0; i < row.attachments.size(); ++i) {
                CHECK(texts[0].attachments[i].url == row.attachments[i].url);
                CHECK(texts[0].attachments[i].content_type == row.attachments[i].content_type);
                CHECK(texts[0].attachments[i].name == row.attachments[i].name);
            }
            CHECK(texts[0].agent_message_id == "m1");
        }
        const auto posts = h.payloads<PostMessage>(event_type::post_message, since);
        REQUIRE(posts.size() == row.notes);
        for (const PostMessage& note : posts) {
            CHECK(note.parent_id == "m1");  // in the thread of the agent's message
            CHECK(note.room_id == "r1");
            CHECK(note.markdown.find("File not sent") != std::string::npos);
            CHECK(note.markdown.find("not sent") != std::string::npos);
        }
    }
}

TEST_CASE("agent files: a whisper's or the bridge's files cause nothing") {
    for (const bool whisper : {true, false}) {
        CAPTURE(whisper);
        Harness h;
        h.start_with({room("r1", "2088675309")});
        const size_t since = h.published.size();
        AgentMessage message = agent_says("r1", "2088675309", "", "m1");
        message.attachments = {kPicture};
        message.file_refusals = {"A file was not sent: malware."};
        if (whisper) {
            message.mentioned_people = {"person-2"};
        } else {
            message.from_bridge = true;
        }
        h.send(event_type::agent_message, message);
        CHECK(h.payloads<SendSms>(event_type::send_sms, since).empty());
        CHECK(h.payloads<PostMessage>(event_type::post_message, since).empty());
    }
}
