// ingress-web's settings for running several replicas: CSRF_SECRET and TRUSTED_PROXIES.
#include "settings.h"

#include <doctest/doctest.h>

using namespace sb;
using namespace sb::web;

namespace {

Environment env(Environment::Values values) {
    return Environment(std::move(values));
}

const std::string kSecret(32, 'k');

}  // namespace

TEST_CASE("CSRF_SECRET is required wherever other machines reach ingress-web") {
    for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
        CAPTURE(host);
        CHECK_FALSE(csrf_secret_required(host));
        const Settings made_up = read_settings(env({}), host);
        CHECK_FALSE(made_up.csrf_secret_configured);
        CHECK(made_up.csrf_secret.size() == 64);
        CHECK(read_settings(env({}), host).csrf_secret != made_up.csrf_secret);
    }
    for (const char* host : {"0.0.0.0", "::", "10.0.0.5", "web.internal"}) {
        CAPTURE(host);
        CHECK(csrf_secret_required(host));
        CHECK_THROWS_WITH_AS(read_settings(env({}), host),
                             doctest::Contains("CSRF_SECRET is required when HTTP_HOST"),
                             ConfigError);
        CHECK_THROWS_WITH_AS(read_settings(env({{"CSRF_SECRET", ""}}), host),
                             doctest::Contains("CSRF_SECRET is required"), ConfigError);
        const Settings set = read_settings(env({{"CSRF_SECRET", kSecret}}), host);
        CHECK(set.csrf_secret_configured);
        CHECK(set.csrf_secret == kSecret);
    }
}

TEST_CASE("CSRF_SECRET must be 32 characters or more, and is never described") {
    CHECK_THROWS_WITH_AS(read_settings(env({{"CSRF_SECRET", std::string(31, 'k')}})),
                         doctest::Contains("CSRF_SECRET must be 32 characters or more"),
                         ConfigError);
    const Settings settings = read_settings(env({{"CSRF_SECRET", kSecret}}));
    const std::string described = describe_settings(settings.described());
    CHECK(described.find("CSRF_SECRET=<set>") != std::string::npos);
    CHECK(described.find(kSecret) == std::string::npos);
    // A made-up secret is described as unset: nobody configured it.
    CHECK(describe_settings(read_settings(env({})).described()).find("CSRF_SECRET=<unset>") !=
          std::string::npos);
}

TEST_CASE("the old name INGRESS_CSRF_SECRET stops the service rather than being ignored") {
    CHECK_THROWS_WITH_AS(read_settings(env({{"INGRESS_CSRF_SECRET", kSecret}})),
                         doctest::Contains("INGRESS_CSRF_SECRET is now called CSRF_SECRET"),
                         ConfigError);
}

TEST_CASE("TRUSTED_PROXIES: loopback by default, a list of ranges, a wrong one named") {
    CHECK(read_settings(env({})).trusted_proxies.text() == "127.0.0.0/8,::1/128");
    CHECK(read_settings(env({{"TRUSTED_PROXIES", ""}})).trusted_proxies.text() ==
          "127.0.0.0/8,::1/128");
    CHECK(read_settings(env({{"TRUSTED_PROXIES", "10.0.0.0/8,fd00::/8"}})).trusted_proxies.text() ==
          "10.0.0.0/8,fd00::/8");
    CHECK(read_settings(env({{"TRUSTED_PROXIES", "none"}})).trusted_proxies.ranges().empty());
    for (const char* wrong : {"10.0.0.1/8", "10.0.0.0/33", "nginx", "10.0.0.0/8;fd00::/8", ","}) {
        CAPTURE(wrong);
        CHECK_THROWS_WITH_AS(read_settings(env({{"TRUSTED_PROXIES", wrong}})),
                             doctest::Contains("TRUSTED_PROXIES: "), ConfigError);
    }
    CHECK(describe_settings(read_settings(env({{"TRUSTED_PROXIES", "10.0.0.0/8"}})).described())
              .find("TRUSTED_PROXIES=10.0.0.0/8") != std::string::npos);
}
