// The sandbox serves its demo UI: the page and its assets from the binary, byte for byte the
// files under services/sandbox/ui/assets/, with the right types and a strict CSP; nothing else
// under /ui/. A real sandbox process on a free port.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "process.h"
#include "ui/ui_assets.h"

namespace {

using namespace std::chrono_literals;
using sb::testing::Process;

struct Sandbox {
    int port = sb::testing::free_port();
    std::string dir = sb::testing::make_temp_dir("sandbox-ui");
    std::unique_ptr<Process> process;

    Sandbox() {
        process = std::make_unique<Process>(
            sb::testing::build_dir() + "/sandbox", std::vector<std::string>{},
            std::map<std::string, std::string>{{"SANDBOX_PORT", std::to_string(port)},
                                               {"DATA_DIR", dir},
                                               {"SANDBOX_COMPANY_NUMBER", "+1 208 555 0100"},
                                               {"COMPANY_NAME", "Acme <Outfitters>"}},
            dir + "/sandbox.log");
        const bool healthy = sb::testing::wait_until(
            [&] { return sb::testing::http_status(port, "/healthz") == 200; }, 20s);
        REQUIRE_MESSAGE(healthy, sb::testing::read_file(dir + "/sandbox.log"));
    }
    httplib::Result get(const std::string& path) const {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(5, 0);
        return client.Get(path.c_str());
    }
};

std::string source_of(const std::string& name) {
    return sb::testing::read_file(std::string(SANDBOX_UI_ASSET_DIR) + "/" + name);
}

}  // namespace

TEST_CASE("the embedded assets are the files in services/sandbox/ui/assets") {
    const auto assets = sb::sandbox::ui::all_assets();
    std::set<std::string> names;
    for (const auto& asset : assets) {
        names.insert(std::string(asset.name));
        CHECK_MESSAGE(asset.body == source_of(std::string(asset.name)), asset.name);
    }
    CHECK(names == std::set<std::string>{"index.html", "app.css", "app.js", "render.js",
                                         "room_items.js", "undo.js", "favicon.svg"});
    CHECK(sb::sandbox::ui::content_type_for("a.js") == "text/javascript; charset=utf-8");
    CHECK(sb::sandbox::ui::content_type_for("a.bin") == "application/octet-stream");
    CHECK_FALSE(sb::sandbox::ui::find_asset("../CMakeLists.txt"));
}

TEST_CASE("the page references only its own embedded files") {
    const auto page = sb::sandbox::ui::find_asset("index.html");
    REQUIRE(page);
    const std::string html(page->body);
    const std::regex reference(R"re((?:href|src)="([^"#][^"]*)")re");
    int count = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), reference);
         it != std::sregex_iterator(); ++it) {
        const std::string url = (*it)[1].str();
        INFO(url);
        REQUIRE(url.rfind("/ui/", 0) == 0);
        CHECK(sb::sandbox::ui::find_asset(url.substr(4)));
        ++count;
    }
    CHECK(count >= 3);                                  // the icon, the stylesheet, the script
    CHECK(html.find("<script>") == std::string::npos);  // no inline script: the CSP forbids it
    CHECK(html.find("style=") == std::string::npos);
}

TEST_CASE("the sandbox serves the UI at / and its assets under /ui/") {
    Sandbox sandbox;
    const auto page = sandbox.get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->body == source_of("index.html"));
    const std::string csp = page->get_header_value("Content-Security-Policy");
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self'") != std::string::npos);
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");

    const std::map<std::string, std::string> types = {
        {"app.js", "text/javascript; charset=utf-8"},
        {"render.js", "text/javascript; charset=utf-8"},
        {"room_items.js", "text/javascript; charset=utf-8"},
        {"undo.js", "text/javascript; charset=utf-8"},
        {"app.css", "text/css; charset=utf-8"},
        {"favicon.svg", "image/svg+xml"}};
    for (const auto& row : types) {
        // Not a structured binding: C++17 lets no lambda (CAPTURE's) capture one.
        const auto& name = row.first;
        const auto& type = row.second;
        const auto asset = sandbox.get("/ui/" + name);
        REQUIRE(asset);
        CHECK_MESSAGE(asset->status == 200, name);
        CHECK_MESSAGE(asset->get_header_value("Content-Type") == type, name);
        CHECK_MESSAGE(asset->body == source_of(name), name);
    }
}

TEST_CASE("unknown or sneaky UI paths are 404 with a JSON reason, and the sandbox keeps serving") {
    Sandbox sandbox;
    for (const std::string path : {"/ui/nope.js", "/ui/index.html", "/ui/..%2fCMakeLists.txt",
                                   "/ui/app.js.map", "/ui/", "/ui/%00app.js"}) {
        const auto answer = sandbox.get(path);
        REQUIRE(answer);
        CHECK_MESSAGE(answer->status == 404, path);
        const auto body = nlohmann::json::parse(answer->body, nullptr, false);
        CHECK_MESSAGE((body.is_object() && body.contains("error")), path);
    }
    httplib::Client client("127.0.0.1", sandbox.port);
    const auto posted = client.Post("/", "x", "text/plain");
    REQUIRE(posted);
    CHECK(posted->status >= 400);
    CHECK(sandbox.get("/")->status == 200);
}

TEST_CASE("the UI's config names the company number (E.164) and name, as data") {
    Sandbox sandbox;
    const auto answer = sandbox.get("/sandbox/ui/config");
    REQUIRE(answer);
    CHECK(answer->status == 200);
    const auto config = nlohmann::json::parse(answer->body);
    CHECK(config["companyNumber"] == "+12085550100");
    CHECK(config["companyName"] == "Acme <Outfitters>");
    // The router's SMS_UNDO_SECONDS (its default here): how long a reply shows its delete button.
    CHECK(config["undoSeconds"] == 10);
}
