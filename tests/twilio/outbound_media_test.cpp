// An agent's files on their way out by Twilio (outbound_media.h) and the carrier-neutral rules
// beneath (libs/common attachment_text.h, which tropo-gateway uses for every file): which files
// go as MMS pictures, and how the rest become links that no whitespace splitter cuts.
#include "outbound_media.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "sms_sender.h"
#include "switchboard/attachment_text.h"

using namespace sb;
using namespace sb::twilio_gateway;

namespace {

const Attachment kPng{"https://sb.example/api/files/aa", "image/png", "map.png"};
const Attachment kJpeg{"https://sb.example/api/files/bb", "IMAGE/JPEG; q=1", "photo.jpg"};
const Attachment kPdf{"https://sb.example/api/files/cc", "application/pdf", "terms.pdf"};
const Attachment kSvg{"https://sb.example/api/files/dd", "image/svg+xml", "logo.svg"};

}  // namespace

TEST_CASE("files: MMS pictures are the types Twilio formats for phones") {
    for (const char* type : {"image/jpeg", "image/jpg", "image/png", "image/gif", "Image/PNG",
                             "image/gif; charset=binary", " image/jpeg "}) {
        CAPTURE(type);
        CHECK(is_mms_picture(type));
    }
    for (const char* type : {"image/svg+xml", "image/webp", "image/heic", "application/pdf",
                             "video/mp4", "text/html", "", "image"}) {
        CAPTURE(type);
        CHECK_FALSE(is_mms_picture(type));
    }
}

TEST_CASE("files: links stand on their own lines, names cannot break them") {
    CHECK(text_with_links("See these", {kPdf}) == "See these\nterms.pdf: " + kPdf.url);
    CHECK(text_with_links("See these \n", {kPdf}) == "See these\nterms.pdf: " + kPdf.url);
    CHECK(text_with_links(" as typed  ", {}) == " as typed  ");  // no files: untouched
    CHECK(text_with_links("", {kPdf}) == "terms.pdf: " + kPdf.url);
    CHECK(text_with_links("  ", {Attachment{kPdf.url, "", ""}}) == kPdf.url);
    CHECK(text_with_links("a", {Attachment{kPdf.url, "", "x\r\ny\tz"}}) ==
          "a\nx  y z: " + kPdf.url);
    CHECK(text_with_links("Both", {kPdf, kSvg}) ==
          "Both\nterms.pdf: " + kPdf.url + "\nlogo.svg: " + kSvg.url);
}

TEST_CASE("files: Twilio gets pictures as MediaUrl and everything else as links") {
    struct Row {
        const char* name;
        std::string text;
        std::vector<Attachment> files;
        std::string body;
        std::vector<std::string> media;
    };
    const std::vector<Row> rows = {
        {"no files", "hi", {}, "hi", {}},
        {"a picture", "The map", {kPng}, "The map", {kPng.url}},
        {"a picture alone", "", {kJpeg}, "", {kJpeg.url}},
        {"a document", "Terms", {kPdf}, "Terms\nterms.pdf: " + kPdf.url, {}},
        {"an SVG is no MMS picture", "", {kSvg}, "logo.svg: " + kSvg.url, {}},
        {"mixed, in order",
         "All",
         {kPdf, kPng, kJpeg},
         "All\nterms.pdf: " + kPdf.url,
         {kPng.url, kJpeg.url}},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        SendSms sms{"+12088675309", row.text, "r1", "m1", row.files};
        const OutboundPlan plan = plan_outbound(sms);
        CHECK(plan.text == row.body);
        CHECK(plan.media_urls == row.media);
    }
    // Twilio takes ten: the eleventh picture and after go as links.
    SendSms many{"+12088675309", "", "r1", "m1", std::vector<Attachment>(12, kPng)};
    const OutboundPlan plan = plan_outbound(many);
    CHECK(plan.media_urls.size() == 10);
    CHECK(plan.text == "map.png: " + kPng.url + "\nmap.png: " + kPng.url);
}

TEST_CASE("files: the Messages.json form repeats MediaUrl and drops an empty Body") {
    SenderSettings settings;
    settings.from_number = "+15005550006";
    const auto count = [](const FormParams& form, const std::string& name) {
        return std::count_if(form.begin(), form.end(),
                             [&](const auto& pair) { return pair.first == name; });
    };
    const FormParams picture =
        message_form(settings, "+14155550100", "", "https://cb", {"u1", "u2"});
    CHECK(count(picture, "MediaUrl") == 2);
    CHECK(count(picture, "Body") == 0);
    const FormParams both = message_form(settings, "+14155550100", "Look", "https://cb", {"u1"});
    CHECK(count(both, "Body") == 1);
    CHECK(count(both, "MediaUrl") == 1);
    const FormParams text = message_form(settings, "+14155550100", "hi", "https://cb");
    CHECK(count(text, "Body") == 1);
    CHECK(count(text, "MediaUrl") == 0);
}

TEST_CASE("files: a SendSms with a picture and no text travels whole") {
    const SendSms sms{"+12088675309", "", "r1", "m1", {kPng}};
    const Envelope event = make_event(event_type::send_sms, "router", sms.to, sms);
    const ParsedEnvelope parsed = validate_envelope(json(stamp(event)));
    REQUIRE(parsed);
    const SendSms back = parsed.envelope->payload_as<SendSms>();
    REQUIRE(back.attachments.size() == 1);
    CHECK(back.attachments[0].url == kPng.url);
    CHECK(back.attachments[0].content_type == "image/png");
    CHECK(back.attachments[0].name == "map.png");
    CHECK(back.text.empty());
}
