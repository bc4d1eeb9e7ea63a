#pragma once
// The UI's static files, as compiled into the binary: looked up by file name.
#include <optional>
#include <string_view>
#include <vector>

namespace sb::sandbox::ui {

struct Asset {
    std::string_view name;          // "app.js"
    std::string_view content_type;  // from the extension, with a charset for text
    std::string_view body;
};

std::optional<Asset> find_asset(std::string_view name);
std::vector<Asset> all_assets();
// "text/javascript; charset=utf-8" for "app.js"; "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view name);

}  // namespace sb::sandbox::ui
