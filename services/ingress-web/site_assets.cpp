#include "site_assets.h"

#include <stdexcept>
#include <string>

namespace sb::web {

std::string_view site_asset(std::string_view name) {
    for (const EmbeddedAsset* entry = kEmbeddedAssets; entry->name != nullptr; ++entry) {
        if (name == entry->name) {
            return {reinterpret_cast<const char*>(entry->bytes), entry->size};
        }
    }
    throw std::logic_error("no embedded asset named " + std::string(name));
}

}  // namespace sb::web
