// spark-gateway's half of an agent's file for the customer, with the real sandbox and bus: the
// AgentMessage names each file by a public link under PUBLIC_BASE_URL (never a Webex URL), and
// GET /api/files/<token> on spark-gateway's port serves the bytes without credentials, with
// the file's type and name; scanning (423) is waited out, malware (410), unscannable files
// (428) and files over FILE_MAX_BYTES become refusals for the router to note.
#include <doctest/doctest.h>

#include "file_server.h"
#include "spark_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kGif = "GIF89a" + std::string(1500, '\x07');

HttpAnswer plain_get(const std::string& url) {
    const size_t port_at = url.find(':', url.find("://") + 3) + 1;
    const size_t path_at = url.find('/', port_at);
    httplib::Client client("127.0.0.1", std::stoi(url.substr(port_at, path_at - port_at)));
    return answer_of(client.Get(url.substr(path_at).c_str()));
}

}  // namespace

TEST_CASE("spark-gateway: an agent's files become public links, or refusals with a reason") {
    SparkStack stack;
    stack.start_all({{"FILE_MAX_BYTES", "10000"}});
    FileServer files;
    files.put("/u/wave.gif", "image/gif", kGif);
    files.put("/u/huge.bin", "application/octet-stream", std::string(20000, 'h'));
    const std::string room = stack.new_room("2088675309");

    // Scanned twice (423, Retry-After 1), then the bytes.
    REQUIRE(stack.sandbox("POST", "/sandbox/spark/scanning", {{"answers", 2}, {"retry_after", 1}})
                .status == 200);
    const std::string id = stack.post_in_room(
        room,
        {{"as", "alice@sandbox.example"}, {"text", "hi"}, {"files", {files.url("/u/wave.gif")}}});
    sb::AgentMessage message;
    REQUIRE(stack.wait_for_agent_message(id, &message));
    REQUIRE(message.files.size() == 1);  // the Webex URL, as before
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.file_refusals.empty());
    const sb::Attachment& link = message.attachments[0];
    CHECK(link.url.rfind(stack.url("spark-gateway") + "/api/files/", 0) == 0);
    CHECK(link.url.find("contents") == std::string::npos);
    CHECK(link.content_type == "image/gif");
    CHECK(link.name == "wave.gif");
    CHECK(stack.provider_calls("GET contents/{id}") == 3);

    const HttpAnswer served = plain_get(link.url);
    REQUIRE(served.status == 200);
    CHECK(served.raw == kGif);
    CHECK(served.header("Content-Type") == "image/gif");
    CHECK(served.header("Content-Disposition") ==
          "inline; filename=\"wave.gif\"; filename*=UTF-8''wave.gif");
    CHECK(served.header("X-Content-Type-Options") == "nosniff");
    for (const auto& [name, value] : served.headers) {
        CHECK(value.find(demo().spark_token) == std::string::npos);
    }
    CHECK(plain_get(stack.url("spark-gateway") + "/api/files/" + std::string(64, 'a')).status ==
          404);
    CHECK(plain_get(stack.url("spark-gateway") + "/api/files/..%2F..%2Fetc%2Fpasswd").status ==
          404);

    // Over the cap: not fetched past it, refused with the limit named.
    const std::string big = stack.post_in_room(
        room, {{"as", "alice@sandbox.example"}, {"files", {files.url("/u/huge.bin")}}});
    REQUIRE(stack.wait_for_agent_message(big, &message));
    CHECK(message.attachments.empty());
    REQUIRE(message.file_refusals.size() == 1);
    CHECK(message.file_refusals[0].find("huge.bin") != std::string::npos);
    CHECK(message.file_refusals[0].find("larger than 10 kB") != std::string::npos);

    // Infected (410) and unscannable (428): refused, each with what Webex said.
    // Pairs, not a structured binding: doctest's CAPTURE is a lambda, and C++17 cannot capture one.
    for (const auto& row : std::vector<std::pair<std::string, std::string>>{
             {"infected", "malware"}, {"unscannable", "could not scan"}}) {
        const std::string& verdict = row.first;
        const std::string& says = row.second;
        CAPTURE(verdict);
        REQUIRE(
            stack.sandbox("POST", "/sandbox/spark/scanning", {{"answers", 0}, {"verdict", verdict}})
                .status == 200);
        const std::string bad = stack.post_in_room(
            room, {{"as", "alice@sandbox.example"}, {"files", {files.url("/u/wave.gif")}}});
        REQUIRE(stack.wait_for_agent_message(bad, &message));
        CHECK(message.attachments.empty());
        REQUIRE(message.file_refusals.size() == 1);
        CHECK(message.file_refusals[0].find(says) != std::string::npos);
    }
    CHECK(http_json(stack.gateway_port, "GET", "/healthz").status == 200);
}
