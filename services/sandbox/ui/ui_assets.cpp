#include "ui_assets.h"

#include "embedded_assets.h"

namespace sb::sandbox::ui {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Asset to_asset(const EmbeddedAsset& embedded) {
    const std::string_view name(embedded.name);
    // The bytes are unsigned char so that any file embeds; the body is the same bytes as text.
    const std::string_view body(reinterpret_cast<const char*>(embedded.bytes), embedded.size);
    return Asset{name, content_type_for(name), body};
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
    if (ends_with(name, ".html")) return "text/html; charset=utf-8";
    if (ends_with(name, ".css")) return "text/css; charset=utf-8";
    if (ends_with(name, ".js")) return "text/javascript; charset=utf-8";
    if (ends_with(name, ".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

std::optional<Asset> find_asset(std::string_view name) {
    for (const EmbeddedAsset* entry = kEmbeddedAssets; entry->name != nullptr; ++entry) {
        if (name == entry->name) return to_asset(*entry);
    }
    return std::nullopt;
}

std::vector<Asset> all_assets() {
    std::vector<Asset> assets;
    for (const EmbeddedAsset* entry = kEmbeddedAssets; entry->name != nullptr; ++entry) {
        assets.push_back(to_asset(*entry));
    }
    return assets;
}

}  // namespace sb::sandbox::ui
