// Two ingress-web processes, as two replicas behind a balancer: with one CSRF_SECRET each accepts
// the forms the other rendered; with different secrets each refuses the other's as forged.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>

#include "http_client.h"
#include "process.h"
#include "stack.h"
#include "web_fixture.h"

using namespace sb::testing;
using namespace std::chrono_literals;

namespace {

const std::string kSecretA = "a-shared-secret-of-32-characters-or-more";
const std::string kSecretB = "another-secret-of-32-characters-or-more!";

// A bus and two ingress-web processes on it (different ports and instance names, one DATA_DIR).
class TwoReplicas : private Stack {
  public:
    TwoReplicas(const std::string& secret_one, const std::string& secret_two)
        : Stack("web-replicas") {
        start("bus");
        start("ingress-web", Env{{"CSRF_SECRET", secret_one}, {"INSTANCE_ID", "ingress-web-1"}});
        Env env = env_for("ingress-web");
        second_port_ = free_port();
        env["INGRESS_WEB_PORT"] = std::to_string(second_port_);
        env["INSTANCE_ID"] = "ingress-web-2";
        env["CSRF_SECRET"] = secret_two;
        second_ =
            std::make_unique<Process>(build_dir() + "/ingress-web", std::vector<std::string>{}, env,
                                      dir() + "/ingress-web-2.log");
        REQUIRE_MESSAGE(
            wait_until([&] { return http_status(second_port_, "/healthz") == 200; }, 30s),
            read_file(dir() + "/ingress-web-2.log"));
    }

    int first() const { return port("ingress-web"); }
    int second() const { return second_port_; }

  private:
    int second_port_ = 0;
    std::unique_ptr<Process> second_;
};

std::string token_from(int port) {
    auto page = http_client(port).Get("/contact/");
    REQUIRE(page);
    REQUIRE(page->status == 200);
    return input_value(page->body, "csrf_token");
}

int submit_to(int port, const std::string& token, const std::string& text) {
    auto result = http_client(port).Post("/contact/", form_body(valid_fields(token, text)),
                                         "application/x-www-form-urlencoded");
    REQUIRE(result);
    return result->status;
}

}  // namespace

TEST_CASE("replicas with one CSRF_SECRET accept each other's forms") {
    TwoReplicas web(kSecretA, kSecretA);
    CHECK(submit_to(web.second(), token_from(web.first()), "rendered by one, sent to two") == 303);
    CHECK(submit_to(web.first(), token_from(web.second()), "rendered by two, sent to one") == 303);
}

TEST_CASE("replicas with different secrets refuse each other's forms as forged") {
    TwoReplicas web(kSecretA, kSecretB);
    CHECK(submit_to(web.second(), token_from(web.first()), "rendered by one, sent to two") == 403);
    CHECK(submit_to(web.first(), token_from(web.second()), "rendered by two, sent to one") == 403);
    CHECK(scrape_metric(web.first(), "switchboard_ingress_submissions_rejected_total",
                        "reason=\"csrf_forged\"") == 1);
    // Each still takes its own.
    CHECK(submit_to(web.first(), token_from(web.first()), "one's own") == 303);
    CHECK(submit_to(web.second(), token_from(web.second()), "two's own") == 303);
}
