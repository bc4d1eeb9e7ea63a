#pragma once
// The site's static files under assets/ (the stylesheet, the icon, the page templates), compiled
// into the binary by switchboard_embed_assets (cmake/embed_assets.cmake): no files to ship, and
// every page comes from the service alone in one round trip.
#include <cstddef>
#include <string_view>

namespace sb::web {

// The generated table; read it through site_asset. The last entry has a null name.
struct EmbeddedAsset {
    const char* name;  // the file name under assets/, e.g. "site.css"
    const unsigned char* bytes;
    std::size_t size;
};
extern const EmbeddedAsset kEmbeddedAssets[];

// The bytes of assets/<name>. Throws std::logic_error for a name that was not embedded: a
// mistake in the build, which the page tests catch.
std::string_view site_asset(std::string_view name);

}  // namespace sb::web
