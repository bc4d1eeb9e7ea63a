// The embedded assets and the template renderer the pages are built with.
#include "site_assets.h"

#include <doctest/doctest.h>

#include <stdexcept>

#include "page_template.h"
#include "pages.h"
#include "switchboard/text.h"

using namespace sb::web;

TEST_CASE("every embedded file is there, and a name that is not throws") {
    for (const char* name : {"site.css", "favicon.svg", "layout.html", "home_hero.html",
                             "home.html", "contact.html", "thanks.html", "problem.html"}) {
        CAPTURE(name);
        CHECK_FALSE(site_asset(name).empty());
    }
    CHECK_THROWS_AS(site_asset("missing.css"), std::logic_error);
}

TEST_CASE("the stylesheet file is inlined into every page as it is") {
    const Site site{"Acme Outfitters", "+12085550100", ""};
    const std::string style = "<style>\n" + std::string(site_asset("site.css")) + "</style>";
    CHECK(render_home(site).find(style) != std::string::npos);
    CHECK(render_contact(site, FormView{}).find(style) != std::string::npos);
}

TEST_CASE("a template value is escaped with sb::html_escape, markup only where code says so") {
    TemplateData data;
    data.set("title", "<b>\"Tom\" & 'Jerry'</b>");
    data.set("detail", "x");
    const std::string html = render_template("problem.html", data);
    CHECK(html.find("<h1>" + sb::html_escape("<b>\"Tom\" & 'Jerry'</b>") + "</h1>") !=
          std::string::npos);
    CHECK(html.find("<b>") == std::string::npos);
}

TEST_CASE("an empty optional value hides its section") {
    CHECK(text_or_false("").is_false());
    CHECK(text_or_false("x").is_string());
}
