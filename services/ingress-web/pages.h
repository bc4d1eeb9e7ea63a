#pragma once
// Server-rendered pages, from the Mustache templates under assets/ (page_template.h). Every
// value that came from a person or a setting goes through html_escape; the functions are pure,
// so tests read the HTML they produce directly.
#include <string>
#include <string_view>
#include <vector>

#include "contact_form.h"
#include "settings.h"

namespace sb::web {

// What the contact page shows: the input as typed (kept after errors), each field's error, a
// fresh CSRF token and, when the whole form was refused, a notice above it.
struct FormView {
    ContactInput input;
    std::vector<FieldError> errors;
    std::string csrf_token;
    std::string notice;
};

std::string render_home(const Site& site);
std::string render_contact(const Site& site, const FormView& view);
std::string render_thanks(const Site& site);
// A short page for a refused request (400, 404, 413, 429...): a heading, one sentence, a way on.
std::string render_problem(const Site& site, std::string_view title, std::string_view detail);

// The site icon (assets/favicon.svg): the company mark on the brand colour, a standalone SVG, so
// browsers find an icon instead of logging a 404 on every page. The logo's mountain and sun,
// drawn bigger on a rounded square so it reads at 16 px.
std::string_view favicon_svg();

// Paths, defined once for the routes, the pages and the tests.
namespace path {
inline constexpr const char* home = "/";
inline constexpr const char* contact = "/contact/";
inline constexpr const char* thanks = "/contact/thanks/";
inline constexpr const char* api = "/api/customer_room_message_post/";
// The site icon every page links to, and the path browsers and crawlers try without a link.
inline constexpr const char* favicon = "/favicon.svg";
inline constexpr const char* favicon_legacy = "/favicon.ico";
}  // namespace path

}  // namespace sb::web
