#include "carrier.h"

namespace sb::sandbox {

std::string sms_carrier_from(const Environment& env) {
    std::string carrier = env.get_or("SMS_CARRIER", "twilio");
    if (carrier != "twilio" && carrier != "tropo") {
        throw ConfigError("SMS_CARRIER must be twilio or tropo");
    }
    return carrier;
}

}  // namespace sb::sandbox
