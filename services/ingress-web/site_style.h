#pragma once
#include <string_view>

namespace sb::web {

// The whole site's CSS, inlined into every page: no external assets, so the pages work from
// the service alone and load in one round trip on a phone.
std::string_view site_stylesheet();

// The company mark, an inline SVG (decorative: the company name is always next to it).
std::string_view logo_svg();

}  // namespace sb::web
