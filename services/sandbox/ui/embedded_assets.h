#pragma once
// The table that the build generates from assets/ (see embed_assets.cmake); read it through
// ui_assets.h. The last entry has a null name.
#include <cstddef>

namespace sb::sandbox::ui {

struct EmbeddedAsset {
    const char* name;  // the file name under assets/, e.g. "app.js"
    const unsigned char* bytes;
    std::size_t size;
};

extern const EmbeddedAsset kEmbeddedAssets[];

}  // namespace sb::sandbox::ui
