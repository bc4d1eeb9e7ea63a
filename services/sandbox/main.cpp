// sandbox: a local stand-in for the Spark/Webex, Tropo and Twilio clouds, for demos and tests.
// Spark's REST API is served under /v1, Tropo's under /1.0, Twilio's under /twilio, test/admin
// APIs under /sandbox (the carrier-neutral phones under /sandbox/phones), the demo UI at /.
#include <spdlog/spdlog.h>

#include "carrier.h"
#include "spark/spark_sandbox.h"
#include "switchboard/http_edge.h"
#include "switchboard/service.h"
#include "tropo/tropo_sandbox.h"
#include "twilio/twilio_sandbox.h"
#include "ui/ui_routes.h"

int main() {
    return sb::run_service("sandbox", [](const sb::Environment& env) {
        using namespace sb;
        const CommonConfig config = read_common_config(env, "sandbox", "SANDBOX_PORT", 8090);
        announce(config, env);
        const std::string carrier = sandbox::sms_carrier_from(env);

        Metrics metrics;
        HttpEdge http(config.service, metrics, /*max_body_bytes=*/1024 * 1024, /*threads=*/64);
        sandbox::spark::SparkSandbox spark(env, metrics);
        sandbox::tropo::TropoSandbox tropo(env, metrics);
        sandbox::twilio::TwilioSandbox twilio(env, metrics);
        spark.register_routes(http.server());
        tropo.register_routes(http.server());
        twilio.register_routes(http.server());
        if (carrier == "tropo") {
            tropo.register_phone_routes(http.server(), "/sandbox");
        } else {
            twilio.register_phone_routes(http.server(), "/sandbox");
        }
        sandbox::ui::register_ui_routes(http.server(), sandbox::ui::ui_settings_from(env));
        http.start(config.http_host, config.http_port);

        const std::string public_url =
            env.get_or("SANDBOX_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(http.port()));
        spark.start(public_url);
        tropo.start(public_url);
        twilio.start(public_url);
        http.set_ready(true);
        spdlog::info(
            "ready: Spark API {}/v1, Tropo API {}/1.0, Twilio API {}/twilio, demo UI {}/ "
            "(phones on {})",
            public_url, public_url, public_url, public_url, carrier);

        return stop_on_shutdown(http, [&] {
            spark.stop();
            tropo.stop();
            twilio.stop();
            http.stop();
        });
    });
}
