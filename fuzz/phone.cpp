// Phone numbers from outside: what a person types in the form, what Tropo sends as an id, the
// number at the end of a Spark room's title. to_e164 either refuses or gives E.164 that it
// reads back as itself, and a room titled for a number names that number again.
#include "switchboard/phone.h"

#include "fuzz_check.h"
#include "switchboard/events.h"

using namespace sb::phone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw = sb::fuzz::as_text(data, size);
    const auto possible = to_e164(raw, Check::possible);
    const auto valid = to_e164(raw, Check::valid);
    if (valid) FUZZ_CHECK(possible && *possible == *valid);  // valid is the stricter check
    for (const auto* number : {&possible, &valid}) {
        if (!*number) continue;
        const std::string& e164 = **number;
        FUZZ_CHECK(sb::is_e164(e164));
        FUZZ_CHECK(to_e164(e164) == e164);
        const std::string title = room_title_for(e164);
        FUZZ_CHECK(number_from_room_title("Customer " + title) == e164);
    }
    const auto from_title = number_from_room_title(raw);
    if (from_title) FUZZ_CHECK(sb::is_e164(*from_title));
    return 0;
}
