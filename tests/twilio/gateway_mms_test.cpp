// MMS against the real twilio-gateway: each MediaUrl fetched with Basic auth, the redirect to
// the CDN followed without the credentials, the picture held and served by the gateway under
// an unguessable URL named in the CustomerMessage; a picture that cannot be fetched does not
// stop the text. Twilio's media side is a small HTTP server in the test with two origins (the
// API and its CDN), because the sandbox serves both from one origin and so cannot show that the
// credentials stay behind; gateway_sandbox_test.cpp fetches the sandbox's media end to end.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "http_client.h"
#include "twilio_world.h"

using namespace sb;
using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kPicture("\x89PNG\r\n\x1a\n-a-tiny-picture", 23);

// Twilio's media URL (Basic auth, 302 to the CDN) and the CDN (no credentials wanted).
class FakeTwilioMedia {
  public:
    FakeTwilioMedia(const std::string& user, const std::string& password) {
        const std::string expected = "Basic " + base64_of(user + ":" + password);
        api_.Get(R"(/2010-04-01/Accounts/[^/]+/Messages/[^/]+/Media/([^/]+))",
                 [this, expected](const httplib::Request& request, httplib::Response& response) {
                     if (request.get_header_value("Authorization") != expected) {
                         response.status = 401;
                         return;
                     }
                     const std::string media = request.matches[1];
                     if (media == "MEmissing") {
                         response.status = 404;
                         return;
                     }
                     response.status = 302;
                     response.set_header(
                         "Location",
                         "http://127.0.0.1:" + std::to_string(cdn_port) + "/cdn/" + media);
                 });
        cdn_.Get(R"(/cdn/(.+))",
                 [this](const httplib::Request& request, httplib::Response& response) {
                     if (request.has_header("Authorization")) credentials_at_cdn.fetch_add(1);
                     const std::string media = request.matches[1];
                     if (media == "MEhtml") {
                         response.set_content("<script>", "text/html");
                         return;
                     }
                     if (media == "MEstall") {  // a CDN that never answers, until the test ends
                         std::unique_lock lock(stall_mutex_);
                         stall_released_.wait(lock, [this] { return released_; });
                         return;
                     }
                     if (media == "MEhuge") {
                         response.set_content(std::string(64 * 1024, 'x'), "image/png");
                         return;
                     }
                     response.set_content(kPicture, "image/png");
                 });
        // Ports the kernel picks (its ephemeral range, where no lease is handed out): nothing
        // else can take them between a lease and the bind.
        api_port = api_.bind_to_any_port("127.0.0.1");
        cdn_port = cdn_.bind_to_any_port("127.0.0.1");
        REQUIRE(api_port > 0);
        REQUIRE(cdn_port > 0);
        api_thread_ = std::thread([this] { api_.listen_after_bind(); });
        cdn_thread_ = std::thread([this] { cdn_.listen_after_bind(); });
    }
    ~FakeTwilioMedia() {
        {
            std::lock_guard lock(stall_mutex_);
            released_ = true;
        }
        stall_released_.notify_all();
        api_.stop();
        cdn_.stop();
        api_thread_.join();
        cdn_thread_.join();
    }
    std::string media_url(const std::string& media) const {
        return "http://127.0.0.1:" + std::to_string(api_port) +
               "/2010-04-01/Accounts/AC1/Messages/MM1/Media/" + media;
    }

    int api_port = 0;
    int cdn_port = 0;
    std::atomic<int> credentials_at_cdn{0};

  private:
    std::mutex stall_mutex_;
    std::condition_variable stall_released_;
    bool released_ = false;
    httplib::Server api_;
    httplib::Server cdn_;
    std::thread api_thread_;
    std::thread cdn_thread_;
};

FormParams mms_params(const std::string& account_sid, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& media) {
    FormParams params = sms_params(new_message_sid(), "+12088675309", body, account_sid);
    for (auto& [name, value] : params) {
        if (name == "NumMedia") value = std::to_string(media.size());
    }
    for (std::size_t i = 0; i < media.size(); ++i) {
        params.emplace_back("MediaUrl" + std::to_string(i), media[i].first);
        params.emplace_back("MediaContentType" + std::to_string(i), media[i].second);
    }
    return params;
}

}  // namespace

TEST_CASE("gateway: an MMS picture is fetched, held and served by the gateway as an attachment") {
    TwilioWorld world(Env{{"TWILIO_MEDIA_MAX_BYTES", "16384"}});
    FakeTwilioMedia twilio(world.account_sid, world.auth_token);
    const auto answer = world.post_signed(
        "/api/twilio/sms/",
        mms_params(world.account_sid, "look", {{twilio.media_url("ME0"), "image/png"}}));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    REQUIRE(world.router->wait_for_count(1, 10s));
    const CustomerMessage message = world.router->messages().at(0);
    CHECK(message.text == "look");
    REQUIRE(message.attachments.size() == 1);
    const Attachment& picture = message.attachments[0];
    CHECK(picture.content_type == "image/png");
    CHECK(picture.name == "picture-1.png");
    const std::string prefix = world.public_base() + "/api/twilio/media/";
    REQUIRE(picture.url.rfind(prefix, 0) == 0);
    const std::string token = picture.url.substr(prefix.size());
    CHECK(token.size() == 64);
    CHECK(twilio.credentials_at_cdn.load() == 0);  // the credentials stayed with Twilio

    auto client = http_client(world.gateway_port);
    const auto served = client.Get(("/api/twilio/media/" + token).c_str());
    REQUIRE(served);
    CHECK(served->status == 200);
    CHECK(served->body == kPicture);
    CHECK(served->get_header_value("Content-Type") == "image/png");
    CHECK(served->get_header_value("Content-Disposition") ==
          "attachment; filename=\"picture-1.png\"");
    const auto guessed = client.Get(("/api/twilio/media/" + std::string(64, 'a')).c_str());
    REQUIRE(guessed);
    CHECK(guessed->status == 404);
    const auto traversal = client.Get("/api/twilio/media/..%2F..%2Fjournal");
    REQUIRE(traversal);
    CHECK(traversal->status == 404);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_media_fetched_total",
                        "result=\"ok\"") == 1);
}

TEST_CASE("gateway: media that cannot be fetched or is refused leaves the text, with a line") {
    TwilioWorld world(Env{{"TWILIO_MEDIA_MAX_BYTES", "16384"}});
    FakeTwilioMedia twilio(world.account_sid, world.auth_token);
    const auto answer = world.post_signed("/api/twilio/sms/",
                                          mms_params(world.account_sid, "three things",
                                                     {{twilio.media_url("MEmissing"), "image/png"},
                                                      {twilio.media_url("MEhtml"), "image/png"},
                                                      {twilio.media_url("MEhuge"), "image/png"},
                                                      {twilio.media_url("ME3"), "image/png"}}));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    REQUIRE(world.router->wait_for_count(1, 10s));
    const CustomerMessage message = world.router->messages().at(0);
    CHECK(message.text == "three things\n(the customer sent 3 pictures that could not be fetched)");
    REQUIRE(message.attachments.size() == 1);
    CHECK(message.attachments[0].name == "picture-4.png");
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_media_fetched_total",
                        "result=\"http_error\"") == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_media_fetched_total",
                        "result=\"bad_type\"") == 1);
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_media_fetched_total",
                        "result=\"too_large\"") == 1);
}

TEST_CASE("gateway: a CDN that never answers costs the media deadline, not the text") {
    TwilioWorld world(Env{{"TWILIO_MEDIA_TIMEOUT_MS", "1000"}});
    FakeTwilioMedia twilio(world.account_sid, world.auth_token);
    const auto started = std::chrono::steady_clock::now();
    const auto answer = world.post_signed(
        "/api/twilio/sms/",
        mms_params(world.account_sid, "stalled", {{twilio.media_url("MEstall"), "image/png"}}));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(took < 5s);  // well inside Twilio's 15 s for the whole answer
    REQUIRE(world.router->wait_for_count(1, 10s));
    CHECK(world.router->messages().at(0).text ==
          "stalled\n(the customer sent a picture that could not be fetched)");
    CHECK(scrape_metric(world.gateway_port, "switchboard_twilio_media_fetched_total",
                        "result=\"network\"") == 1);
}

TEST_CASE("gateway: a MediaUrl no client can use is a picture not fetched, never a 5xx") {
    TwilioWorld world;
    const auto answer = world.post_signed(
        "/api/twilio/sms/", mms_params(world.account_sid, "odd url",
                                       {{"http://127.0.0.1:99999999999/x", "image/png"}}));
    REQUIRE(answer);
    CHECK(answer->status == 200);
    REQUIRE(world.router->wait_for_count(1, 10s));
    CHECK(world.router->messages().at(0).text ==
          "odd url\n(the customer sent a picture that could not be fetched)");
}
