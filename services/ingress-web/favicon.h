#pragma once
#include <string_view>

namespace sb::web {

// The site icon: the company mark on the brand colour, a standalone SVG compiled into the
// binary (no asset files to ship), so browsers find an icon instead of logging a 404 on every
// page. The logo's mountain and sun, drawn bigger on a rounded square so it reads at 16 px.
inline constexpr std::string_view kFaviconSvg =
    R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#1d5c4a"/><path d="M4 40 19 15l7 10 5-6 13 21Z" fill="#fff"/><circle cx="36" cy="11" r="5" fill="#e2792f"/></svg>
)svg";

}  // namespace sb::web
