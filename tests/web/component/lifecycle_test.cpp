// ingress-web as a process: bad settings stop it with exit 2 naming the variable; SIGTERM ends
// it quickly and cleanly.
#include <doctest/doctest.h>

#include "process.h"
#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

TEST_CASE("a bad setting exits 2 and names the variable") {
    const std::string dir = make_temp_dir("web-config");
    const std::pair<std::string, std::string> bad[] = {
        {"CSRF_SECRET", "short"},
        {"INGRESS_API_TOKEN", "short-token"},
        {"TRUSTED_PROXIES", "10.0.0.1/8"},
        {"TRUSTED_PROXIES", "nginx"},
        {"INGRESS_CSRF_SECRET", "the-old-name-of-the-setting-renamed"},
        {"COMPANY_SMS_NUMBER", "not a number"},
        {"INGRESS_RATE_LIMIT_BURST", "0"},
        {"INGRESS_MAX_BODY_BYTES", "8192"},  // 2,000 Cyrillic characters would not fit
        {"INGRESS_WEB_PORT", "99999"},
    };
    int index = 0;
    for (const auto& row : bad) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& name = row.first;
        const auto& value = row.second;
        CAPTURE(name);
        std::string log = dir;  // appended in place: `a + b + c` would make temporaries
        log.append("/").append(std::to_string(index++)).append("-").append(name).append(".log");
        Process web(build_dir() + "/ingress-web", {},
                    {{name, value},
                     {"DATA_DIR", dir},
                     {"INGRESS_WEB_PORT",
                      name == "INGRESS_WEB_PORT" ? value : std::to_string(free_port())}},
                    log);
        CHECK(web.wait_exit(5s) == 2);
        CHECK(read_file(log).find(name) != std::string::npos);
        // A secret is never echoed, not even a rejected one.
        if (name == "CSRF_SECRET" || name == "INGRESS_CSRF_SECRET" || name == "INGRESS_API_TOKEN")
            CHECK(read_file(log).find(value) == std::string::npos);
    }
}

TEST_CASE("SIGTERM stops ingress-web within a second, exit 0, and no secret was logged") {
    sb::testing::WebFixture web(
        sb::testing::Env{{"CSRF_SECRET", "csrf-secret-never-logged-32-chars-long"},
                         {"INGRESS_API_TOKEN", "api-token-never-logged"}});
    CHECK(web.fresh_token().size() > 40);
    const auto started = std::chrono::steady_clock::now();
    web.web().terminate();
    CHECK(web.web().wait_exit(2s) == 0);
    CHECK(std::chrono::steady_clock::now() - started < 1s);
    CHECK(web.log().find("never-logged") == std::string::npos);
    CHECK(web.log().find("CSRF_SECRET=<set>") != std::string::npos);
}

TEST_CASE("off loopback (a container, a pod) ingress-web will not start without CSRF_SECRET") {
    const std::string dir = make_temp_dir("web-config");
    const std::string log = dir + "/ingress-web.log";
    Process web(build_dir() + "/ingress-web", {},
                {{"HTTP_HOST", "0.0.0.0"},
                 {"CSRF_SECRET", ""},
                 {"DATA_DIR", dir},
                 {"INGRESS_WEB_PORT", std::to_string(free_port())}},
                log);
    CHECK(web.wait_exit(5s) == 2);
    CHECK(read_file(log).find("CSRF_SECRET is required when HTTP_HOST (0.0.0.0)") !=
          std::string::npos);
}
