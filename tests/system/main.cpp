// The system tests' main: doctest's, after `--carrier=twilio|tropo` (which carrier every stack
// of this run deploys; tests/system/CMakeLists.txt registers each test once per carrier).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "carrier.h"

int main(int argc, char** argv) {
    if (!sb::testing::take_carrier_argument(argc, argv)) return 2;
    doctest::Context context(argc, argv);
    return context.run();
}
