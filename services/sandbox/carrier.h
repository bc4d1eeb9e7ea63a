#pragma once
// SMS_CARRIER: which half's phones the carrier-neutral /sandbox/phones/… routes (and the demo
// page's phone) use: "twilio" (the default, the live carrier) or "tropo".
#include <string>

#include "switchboard/config.h"

namespace sb::sandbox {

// Throws ConfigError naming SMS_CARRIER for any other value.
std::string sms_carrier_from(const Environment& env);

}  // namespace sb::sandbox
