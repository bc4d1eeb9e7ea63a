#pragma once
// Which carrier a stack runs: the one carrier gateway a deployment deploys (DESIGN §1), and the
// half of the sandbox that plays its cloud. Every system test runs once per carrier (ctest
// names `system[twilio]: …` and `system[tropo]: …`); the carrier of a run is chosen once per
// process, by the test binary's `--carrier=` or $SWITCHBOARD_CARRIER.
#include <string>
#include <vector>

namespace sb::testing {

enum class Carrier { twilio, tropo };

// "twilio" / "tropo": the SMS_CARRIER value, the sandbox's path segment (/sandbox/<name>/…).
std::string carrier_name(Carrier carrier);
// The inverse; throws std::invalid_argument naming the value and the accepted ones.
Carrier carrier_named(const std::string& name);
const std::vector<Carrier>& all_carriers();

// The carrier gateway's service name: "twilio-gateway" / "tropo-gateway".
std::string gateway_of(Carrier carrier);
// The path the carrier posts an inbound SMS to: "/api/twilio/sms/" / "/api/tropo-webhook/".
std::string sms_webhook_path(Carrier carrier);

// The carrier this process tests: set_carrier_under_test()'s, else $SWITCHBOARD_CARRIER, else
// twilio (the product's default, and deploy/env.demo's SMS_CARRIER). A bad $SWITCHBOARD_CARRIER
// throws.
Carrier carrier_under_test();
void set_carrier_under_test(Carrier carrier);

// Reads `--carrier=<name>` out of a test binary's arguments (removing it, so the test
// framework never sees it) and sets the carrier under test. Returns false, with a message on
// stderr, for a name that is no carrier.
bool take_carrier_argument(int& argc, char** argv);

}  // namespace sb::testing
