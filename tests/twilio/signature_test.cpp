// X-Twilio-Signature: every vector of PROVIDERS.md (token 12345), the port rules, repeated
// names, and what must not validate.
#include <doctest/doctest.h>

#include "twilio_signature.h"

using namespace sb::twilio_gateway;

namespace {

const char* kToken = "12345";
const char* kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const char* kUrlWithPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";

TwilioParams call_params() {
    return {{"CallSid", "CA1234567890ABCDE"},
            {"Caller", "+14158675309"},
            {"Digits", "1234"},
            {"From", "+14158675309"},
            {"To", "+18005551212"}};
}

}  // namespace

TEST_CASE("signature: PROVIDERS.md's form vector") {
    CHECK(twilio_signature(kToken, kUrl, call_params()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    CHECK(valid_twilio_signature(kToken, kUrl, call_params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

TEST_CASE("signature: PROVIDERS.md's vector with :443") {
    CHECK(twilio_signature(kToken, kUrlWithPort, call_params()) == "kvajT1Ptam85bY51eRf/AJRuM3w=");
    CHECK(valid_twilio_signature(kToken, kUrlWithPort, call_params(),
                                 "kvajT1Ptam85bY51eRf/AJRuM3w="));
}

TEST_CASE("signature: the URL with and without the default port is accepted either way") {
    // Twilio keeps the port on SMS callbacks and drops it on voice over HTTPS.
    CHECK(valid_twilio_signature(kToken, kUrl, call_params(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
    CHECK(valid_twilio_signature(kToken, kUrlWithPort, call_params(),
                                 "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    const auto forms = signed_url_forms(kUrl);
    CHECK(forms == std::vector<std::string>{kUrl, kUrlWithPort});
    CHECK(signed_url_forms("http://example.com/x") ==
          std::vector<std::string>{"http://example.com/x", "http://example.com:80/x"});
    CHECK(signed_url_forms("https://example.com:8443/x?a=1") ==
          std::vector<std::string>{"https://example.com:8443/x?a=1", "https://example.com/x?a=1"});
    CHECK(signed_url_forms("https://user:pass@example.com/x")[1] == "https://example.com/x");
}

TEST_CASE("signature: PROVIDERS.md's JSON vector (bodySHA256)") {
    const std::string url =
        std::string(kUrl) +
        "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const std::string body = R"({"property": "value", "boolean": true})";
    CHECK(twilio_signature(kToken, url, {}) == "a9nBmqA0ju/hNViExpshrM61xv4=");
    CHECK(valid_twilio_json_signature(kToken, url, body, "a9nBmqA0ju/hNViExpshrM61xv4="));
    // The body is bound through its hash: another body with the same URL is refused.
    CHECK_FALSE(valid_twilio_json_signature(kToken, url, R"({"property": "other"})",
                                            "a9nBmqA0ju/hNViExpshrM61xv4="));
    CHECK_FALSE(valid_twilio_json_signature(kToken, kUrl, body, "a9nBmqA0ju/hNViExpshrM61xv4="));
}

TEST_CASE("signature: what must not validate") {
    const char* good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    CHECK_FALSE(valid_twilio_signature("54321", kUrl, call_params(), good));
    CHECK_FALSE(valid_twilio_signature(kToken, kUrl, call_params(), ""));
    CHECK_FALSE(valid_twilio_signature("", kUrl, call_params(), good));
    CHECK_FALSE(valid_twilio_signature(kToken, kUrl, call_params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
    CHECK_FALSE(valid_twilio_signature(kToken, "https://mycompany.com/myapp.php?foo=1&bar=3",
                                       call_params(), good));
    CHECK_FALSE(valid_twilio_signature(kToken, "http://mycompany.com/myapp.php?foo=1&bar=2",
                                       call_params(), good));
    TwilioParams changed = call_params();
    changed.find("Digits")->second = "1235";
    CHECK_FALSE(valid_twilio_signature(kToken, kUrl, changed, good));
    TwilioParams extra = call_params();
    extra.emplace("Added", "x");  // Twilio signs every parameter: one added breaks it
    CHECK_FALSE(valid_twilio_signature(kToken, kUrl, extra, good));
}

TEST_CASE("signature: names sorted in byte order, a repeated name's values sorted") {
    // Upper case sorts before lower case in byte order ('Z' 0x5A < 'a' 0x61).
    const TwilioParams params = {{"a", "1"}, {"Z", "2"}, {"M", "b"}, {"M", "a"}};
    // The same data spelled out by hand: URL + "M" "a" + "M" "b" + "Z" "2" + "a" "1".
    CHECK(twilio_signature(kToken, "https://x.example/MaMbZ2a1", {}) ==
          twilio_signature(kToken, "https://x.example/", params));
    CHECK(twilio_signature(kToken, "https://x.example/a1MaMbZ2", {}) !=
          twilio_signature(kToken, "https://x.example/", params));
    // Insertion order does not matter.
    const TwilioParams reordered = {{"M", "a"}, {"a", "1"}, {"M", "b"}, {"Z", "2"}};
    CHECK(twilio_signature(kToken, "https://x.example/", reordered) ==
          twilio_signature(kToken, "https://x.example/", params));
}

TEST_CASE("signature: a value repeated under one name, as the SDKs (once) or literally (twice)") {
    const TwilioParams params = {{"M", "a"}, {"M", "a"}};
    const std::string once = twilio_signature(kToken, "https://x.example/Ma", {});
    const std::string twice = twilio_signature(kToken, "https://x.example/MaMa", {});
    CHECK(twilio_signature(kToken, "https://x.example/", params) == once);
    CHECK(valid_twilio_signature(kToken, "https://x.example/", params, once));
    CHECK(valid_twilio_signature(kToken, "https://x.example/", params, twice));
}
