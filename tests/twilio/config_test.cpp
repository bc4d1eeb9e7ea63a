// twilio-gateway's settings: typed and checked once; a bad one names its variable (the service
// exits with code 2 on a ConfigError), and secrets never appear in the settings line.
#include <doctest/doctest.h>

#include "gateway_config.h"

using namespace sb;
using namespace sb::twilio_gateway;

namespace {

const std::string kSid = "AC" + std::string(32, 'a');

Environment::Values base() {
    return {{"TWILIO_ACCOUNT_SID", kSid},
            {"TWILIO_AUTH_TOKEN", "the-secret-token"},
            {"TWILIO_FROM_NUMBER", "+12085550100"},
            {"CUSTOMER_SERVICE_REDIRECT_DN", "+18005550100"},
            {"DATA_DIR", "/tmp"}};
}

std::string error_for(Environment::Values values) {
    try {
        read_gateway_config(Environment(std::move(values)));
    } catch (const ConfigError& error) {
        return error.what();
    }
    return "";
}

Environment::Values with(Environment::Values values, const std::string& name,
                         const std::string& value) {
    values[name] = value;
    return values;
}

}  // namespace

TEST_CASE("config: the defaults of the agreed settings") {
    const GatewayConfig config = read_gateway_config(Environment(base()));
    CHECK(config.common.http_port == 8085);
    CHECK(config.api_url == "https://api.twilio.com");
    CHECK(config.public_base_url == "http://127.0.0.1:8085");
    CHECK(config.call_decision_timeout.count() == 1000);
    CHECK(config.dial_timeout_seconds == 20);
    CHECK(config.media_max_bytes == 5u * 1024 * 1024);
    CHECK(config.answers_keywords);  // Twilio's default opt-out handling
    CHECK(config.basic_user() == kSid);
    CHECK(config.basic_password() == "the-secret-token");
    CHECK(config.public_url("/api/twilio/voice/dial/") ==
          "http://127.0.0.1:8085/api/twilio/voice/dial/");
}

TEST_CASE("config: PUBLIC_BASE_URL loses its trailing slash, an API key replaces sid:token") {
    auto values = with(base(), "PUBLIC_BASE_URL", "https://sms.example.com/");
    values["TWILIO_API_KEY_SID"] = "SK" + std::string(32, 'b');
    values["TWILIO_API_KEY_SECRET"] = "key-secret";
    values["TWILIO_API_URL"] = "http://127.0.0.1:8090/twilio/";
    const GatewayConfig config = read_gateway_config(Environment(values));
    CHECK(config.public_base_url == "https://sms.example.com");
    CHECK(config.api_url == "http://127.0.0.1:8090/twilio");
    CHECK(config.basic_user() == "SK" + std::string(32, 'b'));
    CHECK(config.basic_password() == "key-secret");
    const std::string line = describe_settings(config.settings());
    CHECK(line.find("key-secret") == std::string::npos);
    CHECK(line.find("the-secret-token") == std::string::npos);
    CHECK(line.find("TWILIO_AUTH_TOKEN=<set>") != std::string::npos);
}

TEST_CASE("config: a bad or missing setting names its variable") {
    auto no_sid = base();
    no_sid.erase("TWILIO_ACCOUNT_SID");
    CHECK(error_for(no_sid).find("TWILIO_ACCOUNT_SID") != std::string::npos);
    CHECK(error_for(with(base(), "TWILIO_ACCOUNT_SID", "AC123")).find("TWILIO_ACCOUNT_SID") !=
          std::string::npos);
    auto no_token = base();
    no_token.erase("TWILIO_AUTH_TOKEN");
    CHECK(error_for(no_token).find("TWILIO_AUTH_TOKEN") != std::string::npos);
    auto no_sender = base();
    no_sender.erase("TWILIO_FROM_NUMBER");
    CHECK(error_for(no_sender).find("TWILIO_MESSAGING_SERVICE_SID") != std::string::npos);
    no_sender["TWILIO_MESSAGING_SERVICE_SID"] = "MG" + std::string(32, 'c');
    CHECK(error_for(no_sender).empty());  // a Messaging Service alone will do
    CHECK(error_for(with(base(), "TWILIO_FROM_NUMBER", "abc")).find("TWILIO_FROM_NUMBER") !=
          std::string::npos);
    CHECK(error_for(with(base(), "TWILIO_API_KEY_SID", "SK" + std::string(32, 'b')))
              .find("TWILIO_API_KEY_SECRET") != std::string::npos);
    CHECK(error_for(with(base(), "PUBLIC_BASE_URL", "sms.example.com")).find("PUBLIC_BASE_URL") !=
          std::string::npos);
    CHECK(error_for(with(base(), "TWILIO_API_URL", "ftp://x")).find("TWILIO_API_URL") !=
          std::string::npos);
    CHECK(error_for(with(base(), "TWILIO_DIAL_TIMEOUT_SECONDS", "2"))
              .find("TWILIO_DIAL_TIMEOUT_SECONDS") != std::string::npos);
    CHECK(
        error_for(with(base(), "TWILIO_MEDIA_MAX_BYTES", "lots")).find("TWILIO_MEDIA_MAX_BYTES") !=
        std::string::npos);
    auto no_redirect = base();
    no_redirect.erase("CUSTOMER_SERVICE_REDIRECT_DN");
    CHECK(error_for(no_redirect).find("CUSTOMER_SERVICE_REDIRECT_DN") != std::string::npos);
}

TEST_CASE("config: TWILIO_ANSWERS_KEYWORDS is a flag, anything else names it") {
    CHECK_FALSE(read_gateway_config(Environment(with(base(), "TWILIO_ANSWERS_KEYWORDS", "false")))
                    .answers_keywords);
    CHECK(read_gateway_config(Environment(with(base(), "TWILIO_ANSWERS_KEYWORDS", "true")))
              .answers_keywords);
    CHECK(error_for(with(base(), "TWILIO_ANSWERS_KEYWORDS", "maybe"))
              .find("TWILIO_ANSWERS_KEYWORDS") != std::string::npos);
    const std::string line = describe_settings(
        read_gateway_config(Environment(with(base(), "TWILIO_ANSWERS_KEYWORDS", "no"))).settings());
    CHECK(line.find("TWILIO_ANSWERS_KEYWORDS=false") != std::string::npos);
}
