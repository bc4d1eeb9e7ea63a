#pragma once
// The demo settings as the tests and benchmarks see them: read at run time from deploy/env.demo,
// the one file that also seeds scripts/run and the compose demo, so a credential or number is
// spelled in exactly one place.
#include <map>
#include <string>

namespace sb::testing {

using Env = std::map<std::string, std::string>;

struct DemoSettings {
    Env all;                     // every line of the file, as Environment::parse_dotenv reads it
    std::string spark_token;     // SPARK_TOKEN: the customer-proxy account's token
    std::string team_id;         // SPARK_AGENT_TEAM_ID
    std::string proxy_email;     // SPARK_CUSTOMER_PROXY_EMAIL
    std::string webhook_secret;  // SPARK_WEBHOOK_SECRET
    std::string tropo_key;       // TROPO_KEY
    std::string twilio_account_sid;  // TWILIO_ACCOUNT_SID: the sandbox's Twilio account (AC...)
    std::string twilio_auth_token;   // TWILIO_AUTH_TOKEN: signs the sandbox's Twilio webhooks
    std::string twilio_from_number;  // TWILIO_FROM_NUMBER: the company number, on Twilio
    std::string redirect_number;     // CUSTOMER_SERVICE_REDIRECT_DN: the contact center
    std::string company_number;      // SANDBOX_COMPANY_NUMBER: the number customers text and call
    std::string company_name;        // COMPANY_NAME
    std::string api_token;           // INGRESS_API_TOKEN
};

// Read once; throws std::runtime_error naming the file, or the variable it lacks.
const DemoSettings& demo();

// Where the file is: $SWITCHBOARD_DEMO_ENV when set, else <source dir>/deploy/env.demo.
std::string demo_settings_path();

}  // namespace sb::testing
