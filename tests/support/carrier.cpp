#include "carrier.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

namespace sb::testing {
namespace {

std::optional<Carrier>& chosen() {
    static std::optional<Carrier> carrier;
    return carrier;
}

// Whether carrier_under_test() has answered yet: choosing after that (a static initializer that
// asked before main read --carrier=) would leave part of the run on the other carrier.
bool& answered() {
    static bool asked = false;
    return asked;
}

}  // namespace

std::string carrier_name(Carrier carrier) {
    return carrier == Carrier::twilio ? "twilio" : "tropo";
}

Carrier carrier_named(const std::string& name) {
    for (const Carrier carrier : all_carriers()) {
        if (carrier_name(carrier) == name) return carrier;
    }
    throw std::invalid_argument("\"" + name + "\" is no carrier (twilio or tropo)");
}

const std::vector<Carrier>& all_carriers() {
    static const std::vector<Carrier> carriers = {Carrier::twilio, Carrier::tropo};
    return carriers;
}

std::string gateway_of(Carrier carrier) {
    return carrier_name(carrier) + "-gateway";
}

std::string sms_webhook_path(Carrier carrier) {
    return carrier == Carrier::twilio ? "/api/twilio/sms/" : "/api/tropo-webhook/";
}

Carrier carrier_under_test() {
    answered() = true;
    if (chosen()) return *chosen();
    // NOLINTNEXTLINE(concurrency-mt-unsafe): getenv races only with setenv, which no test calls
    const char* name = std::getenv("SWITCHBOARD_CARRIER");
    if (name == nullptr || *name == '\0') return Carrier::twilio;
    try {
        return carrier_named(name);
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(std::string("SWITCHBOARD_CARRIER: ") + error.what());
    }
}

void set_carrier_under_test(Carrier carrier) {
    chosen() = carrier;
}

bool take_carrier_argument(int& argc, char** argv) {
    static constexpr const char* kOption = "--carrier=";
    const size_t option_length = std::strlen(kOption);
    int kept = 0;
    bool good = true;
    for (int i = 0; i < argc; ++i) {
        if (i > 0 && std::strncmp(argv[i], kOption, option_length) == 0) {
            try {
                set_carrier_under_test(carrier_named(argv[i] + option_length));
            } catch (const std::invalid_argument& error) {
                std::cerr << "--carrier: " << error.what() << "\n";
                good = false;
            }
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;
    return good;
}

}  // namespace sb::testing
