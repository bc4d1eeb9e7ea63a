#pragma once
// The sandbox's browser UI: GET / (the demo page), GET /ui/<asset> (its CSS, JS and icon) and
// GET /sandbox/ui/config (what the page cannot learn from the two halves' admin APIs).
// Everything is served from the binary: the page loads nothing from anywhere else.
#include <httplib.h>

#include <string>

#include "switchboard/config.h"

namespace sb::sandbox::ui {

struct UiSettings {
    std::string company_number;  // the carrier's number phones text and call
    std::string company_name;    // COMPANY_NAME: how phones show that number
    std::string carrier;         // SMS_CARRIER: twilio (pictures too) or tropo
    int undo_seconds = 0;        // SMS_UNDO_SECONDS: how long an agent's reply can be deleted
};

UiSettings ui_settings_from(const Environment& env);

void register_ui_routes(httplib::Server& server, const UiSettings& settings);

}  // namespace sb::sandbox::ui
