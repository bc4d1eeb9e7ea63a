#include "ui_routes.h"

#include <nlohmann/json.hpp>

#include "switchboard/http_edge.h"
#include "switchboard/phone.h"
#include "switchboard/undo_send.h"
#include "ui_assets.h"

namespace sb::sandbox::ui {
namespace {

// The page runs only its own files: no inline script, nothing from another origin, no framing.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void send_asset(httplib::Response& response, const Asset& asset) {
    response.status = 200;
    // Revalidate every time: the sandbox is rebuilt often and a stale app.js confuses a demo.
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("Content-Security-Policy", kContentSecurityPolicy);
    response.set_content(std::string(asset.body), std::string(asset.content_type).c_str());
}

}  // namespace

UiSettings ui_settings_from(const Environment& env) {
    UiSettings settings;
    // The phone texts the carrier's number (SMS_CARRIER, checked by the sandbox's main). The
    // carrier's half refuses to start with a bad number; this only reads it.
    settings.carrier = env.get_or("SMS_CARRIER", "twilio");
    const std::string raw = settings.carrier == "tropo"
                                ? env.get_or("SANDBOX_COMPANY_NUMBER", "+12085550100")
                                : env.get_or("TWILIO_FROM_NUMBER", "+12085550100");
    settings.company_number = phone::to_e164(raw).value_or(raw);
    settings.company_name = env.get_or("COMPANY_NAME", "Acme Outfitters");
    // The router's setting, read the same way (the demo gives every service one environment),
    // so the delete button shows exactly while the router still holds the reply.
    settings.undo_seconds = static_cast<int>(sms_undo_seconds(env).count());
    return settings;
}

void register_ui_routes(httplib::Server& server, const UiSettings& settings) {
    const auto page = [](const httplib::Request&, httplib::Response& response) {
        const auto index = find_asset("index.html");
        if (!index) return reply_error(response, 500, "the UI was built without its page");
        send_asset(response, *index);
    };
    server.Get("/", page);
    server.Get("/index.html", page);
    server.Get(R"(/ui/([A-Za-z0-9_-]+\.[a-z]+))",
               [](const httplib::Request& request, httplib::Response& response) {
                   const auto asset = find_asset(request.matches[1].str());
                   if (!asset || asset->name == "index.html") {
                       return reply_error(response, 404, "no such UI file");
                   }
                   send_asset(response, *asset);
               });
    const std::string config = nlohmann::json{
        {"companyNumber", settings.company_number},
        {"companyName", settings.company_name},
        {"carrier", settings.carrier},
        {"undoSeconds",
         settings.undo_seconds}}.dump();
    server.Get("/sandbox/ui/config",
               [config](const httplib::Request&, httplib::Response& response) {
                   response.set_header("Cache-Control", "no-cache");
                   reply_json(response, 200, config);
               });
}

}  // namespace sb::sandbox::ui
