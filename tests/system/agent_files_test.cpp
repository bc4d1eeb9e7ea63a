// Issue 15, "Attachments both ways", the agent's half, end to end with each carrier: an agent's
// file in the customer's room reaches the phone through the real sandbox, spark-gateway,
// router and carrier gateway. spark-gateway fetches it from Webex with the proxy's token and
// serves it at an unguessable public link: Twilio fetches a picture from there for an MMS
// (the sandbox's Twilio half does, without credentials, as Twilio does); a link in the text
// (other files; everything on Tropo) opens with a plain GET.
#include <doctest/doctest.h>

#include <regex>

#include "file_server.h"
#include "http_client.h"
#include "steps.h"

using namespace sb::testing;

namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(4000, '\x42');
const std::string kPdf = "%PDF-1.4\n" + std::string(3000, 'p') + "\n%%EOF\n";

// The spark-gateway links in the texts the phone received.
std::vector<std::string> links_in(const std::vector<std::string>& texts) {
    static const std::regex link(R"(http://127\.0\.0\.1:\d+/api/files/[0-9a-f]{64})");
    std::vector<std::string> found;
    for (const std::string& text : texts) {
        for (auto it = std::sregex_iterator(text.begin(), text.end(), link);
             it != std::sregex_iterator(); ++it) {
            found.push_back(it->str());
        }
    }
    return found;
}

// A plain GET, as a customer's phone opens a link: no credentials at all.
HttpAnswer open_link(const std::string& url) {
    const size_t port_at = url.find(':', url.find("://") + 3) + 1;
    const size_t path_at = url.find('/', port_at);
    httplib::Client client("127.0.0.1", std::stoi(url.substr(port_at, path_at - port_at)));
    return answer_of(client.Get(url.substr(path_at).c_str()));
}

// The pictures the phone received by MMS (Twilio), as the sandbox's paths.
std::vector<std::string> pictures_of(const SandboxClient& sandbox, const std::string& number) {
    std::vector<std::string> paths;
    const json phone = sandbox.phone(number);
    for (const json& text : phone["inbox"]) {
        if (!text.contains("media")) continue;
        for (const json& media : text["media"]) paths.push_back(text_of(media, "url"));
    }
    return paths;
}

std::vector<json> thread_of(const SandboxClient& sandbox, const std::string& room,
                            const std::string& parent) {
    std::vector<json> replies;
    for (const json& message : sandbox.history(room)) {
        if (text_of(message, "parentId") == parent) replies.push_back(message);
    }
    return replies;
}

}  // namespace

TEST_CASE("files: an agent's picture and document reach the customer, opened without Webex") {
    System system;
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550191";
    const std::string room = established(system, number, "2085550191", "can you send the map?");
    const size_t before = sandbox.inbox(number).size();
    FileServer files;
    files.put("/uploads/map.png", "image/png", kPng);
    files.put("/uploads/terms.pdf", "application/pdf", kPdf);

    sandbox.post(room, kAlice,
                 {{"text", "Here is the map"}, {"files", {files.url("/uploads/map.png")}}});
    const std::vector<std::string> first = wait_for_inbox(system, number, before + 1);
    CHECK(first.back().find("Here is the map") != std::string::npos);
    CHECK(first.back().find("webexapis") == std::string::npos);
    CHECK(first.back().find("/v1/contents/") == std::string::npos);  // never a Webex URL
    if (sandbox.carrier() == Carrier::twilio) {
        // An MMS: the sandbox's Twilio fetched the public link (no auth) and the phone holds
        // the very bytes; the text carries no link.
        const std::vector<std::string> pictures = pictures_of(sandbox, number);
        REQUIRE(pictures.size() == 1);
        const HttpAnswer bytes = http_json(system.port("sandbox"), "GET", pictures[0]);
        REQUIRE(bytes.status == 200);
        CHECK(bytes.raw == kPng);
        CHECK(bytes.header("Content-Type") == "image/png");
        CHECK(links_in({first.back()}).empty());
    } else {
        // Tropo sends no MMS: the link, alone on its line, opens without credentials.
        const std::vector<std::string> links = links_in({first.back()});
        REQUIRE(links.size() == 1);
        CHECK(first.back().find("map.png: " + links[0]) != std::string::npos);
        const HttpAnswer bytes = open_link(links[0]);
        REQUIRE(bytes.status == 200);
        CHECK(bytes.raw == kPng);
        CHECK(bytes.header("Content-Type") == "image/png");
        CHECK(bytes.header("Content-Disposition").find("filename=\"map.png\"") !=
              std::string::npos);
    }

    // A document alone (no words) is still sent, as a link on either carrier.
    sandbox.post(room, kBob, {{"files", {files.url("/uploads/terms.pdf")}}});
    const std::vector<std::string> second = wait_for_inbox(system, number, before + 2);
    const std::vector<std::string> links = links_in({second.back()});
    REQUIRE(links.size() == 1);
    CHECK(second.back().find("terms.pdf: ") != std::string::npos);
    const HttpAnswer document = open_link(links[0]);
    REQUIRE(document.status == 200);
    CHECK(document.raw == kPdf);
    CHECK(document.header("Content-Type") == "application/pdf");
    CHECK(document.header("Content-Disposition").rfind("attachment; filename=\"terms.pdf\"", 0) ==
          0);
    // Nothing of the proxy's credentials goes with it.
    for (const auto& [name, value] : document.headers) {
        CHECK(value.find(demo().spark_token) == std::string::npos);
    }
    // A link one character off is nobody's file.
    std::string guessed = links[0];
    guessed.back() = guessed.back() == '0' ? '1' : '0';
    CHECK(open_link(guessed).status == 404);
}

TEST_CASE("files: Webex scanning is waited out, malware and files over the cap become notes") {
    System system(System::all_services(), {{"FILE_MAX_BYTES", "20000"}});
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550192";
    const std::string room = established(system, number, "2085550192", "send me the forms");
    const size_t before = sandbox.inbox(number).size();
    FileServer files;
    files.put("/uploads/form.pdf", "application/pdf", kPdf);
    files.put("/uploads/video.mp4", "video/mp4", std::string(60000, 'v'));
    files.put("/uploads/bad.pdf", "application/pdf", kPdf);

    // Over FILE_MAX_BYTES: the words go, the file gets a note in the message's thread.
    const std::string big = sandbox.post(
        room, kAlice, {{"text", "The video, then"}, {"files", {files.url("/uploads/video.mp4")}}});
    const std::vector<std::string> first = wait_for_inbox(system, number, before + 1);
    CHECK(first.back().find("The video, then") != std::string::npos);
    CHECK(links_in({first.back()}).empty());
    require_eventually(
        system, [&] { return !thread_of(sandbox, room, big).empty(); }, "a note about the video");
    const std::string too_large = unescape(text_of(thread_of(sandbox, room, big)[0], "text"));
    CHECK(too_large.find("video.mp4") != std::string::npos);
    CHECK(too_large.find("larger than 20 kB") != std::string::npos);

    // Infected (Webex answers 410 once it has scanned it): a note, and no SMS for a file alone.
    REQUIRE(http_json(system.port("sandbox"), "POST", "/sandbox/spark/scanning",
                      {{"answers", 1}, {"retry_after", 1}, {"verdict", "infected"}})
                .status == 200);
    const std::string infected =
        sandbox.post(room, kAlice, {{"files", {files.url("/uploads/bad.pdf")}}});
    require_eventually(
        system, [&] { return !thread_of(sandbox, room, infected).empty(); },
        "a note about the infected file");
    CHECK(unescape(text_of(thread_of(sandbox, room, infected)[0], "text")).find("malware") !=
          std::string::npos);

    // Being scanned (423 + Retry-After, twice), then clean: it arrives once Webex lets it go.
    REQUIRE(http_json(system.port("sandbox"), "POST", "/sandbox/spark/scanning",
                      {{"answers", 2}, {"retry_after", 1}, {"verdict", "clean"}})
                .status == 200);
    sandbox.post(room, kAlice, {{"text", "The form"}, {"files", {files.url("/uploads/form.pdf")}}});
    const std::vector<std::string> last = wait_for_inbox(system, number, before + 2);
    CHECK(last.back().find("The form") != std::string::npos);
    const std::vector<std::string> links = links_in({last.back()});
    REQUIRE(links.size() == 1);
    CHECK(open_link(links[0]).raw == kPdf);
    CHECK(system.metric("spark-gateway", "switchboard_spark_file_fetches_total",
                        "status=\"423\"") == 3);
    // Nothing else reached the phone (the infected file alone sent nothing), nothing crashed.
    CHECK(sandbox.inbox(number).size() == before + 2);
    CHECK(system.get("spark-gateway", "/healthz")->status == 200);
}

TEST_CASE("files: a link expires (FILE_LINK_TTL_HOURS) and then serves nothing") {
    // 0.005 hours: 18 seconds, time enough to open it first.
    System system(System::all_services(), {{"FILE_LINK_TTL_HOURS", "0.005"}});
    const SandboxClient sandbox = system.sandbox();
    const std::string number = "+12085550193";
    const std::string room = established(system, number, "2085550193", "the terms please");
    const size_t before = sandbox.inbox(number).size();
    FileServer files;
    files.put("/uploads/terms.pdf", "application/pdf", kPdf);
    sandbox.post(room, kAlice, {{"files", {files.url("/uploads/terms.pdf")}}});
    const std::vector<std::string> texts = wait_for_inbox(system, number, before + 1);
    const std::vector<std::string> links = links_in({texts.back()});
    REQUIRE(links.size() == 1);
    const HttpAnswer fresh = open_link(links[0]);
    REQUIRE(fresh.status == 200);
    CHECK(fresh.raw == kPdf);
    require_eventually(
        system,
        [&] {
            const int status = open_link(links[0]).status;
            return status == 410 || status == 404;
        },
        "the link to expire", std::chrono::seconds(60));
    const HttpAnswer expired = open_link(links[0]);
    CHECK(expired.raw.find("%PDF") == std::string::npos);
}
