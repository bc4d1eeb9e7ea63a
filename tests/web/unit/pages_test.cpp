#include "pages.h"

#include <doctest/doctest.h>

#include "phone_display.h"

using namespace sb::web;

namespace {

Site site() {
    return {"Acme Outfitters", "+12085550100", "+12085550199"};
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the home page shows the company and every way to reach it") {
    const std::string html = render_home(site());
    CHECK(
        contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(contains(html, "Acme Outfitters"));
    CHECK(contains(html, "href=\"sms:+12085550100\""));
    CHECK(contains(html, "href=\"tel:+12085550199\""));
    CHECK(contains(html, "(208) 555-0100"));
    CHECK(contains(html, "href=\"/contact/\""));
    // No external assets: nothing loaded from another origin.
    CHECK_FALSE(contains(html, "http://"));
    CHECK_FALSE(contains(html, "https://"));
    CHECK_FALSE(contains(html, "<script"));
    // The one <link> is the site icon, on this origin.
    CHECK(html.find("<link") == html.rfind("<link"));
    CHECK(contains(html, "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"));
}

TEST_CASE("every page links the site icon, so browsers do not ask for a missing one") {
    const std::string icon = std::string("<link rel=\"icon\" href=\"") + path::favicon + "\"";
    CHECK(contains(render_home(site()), icon));
    CHECK(contains(render_contact(site(), FormView{}), icon));
    CHECK(contains(render_thanks(site()), icon));
    CHECK(contains(render_problem(site(), "Page not found", "No page here."), icon));
}

TEST_CASE("the site icon is a standalone SVG with nothing active in it") {
    const std::string svg(favicon_svg());
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(contains(svg, "viewBox=\"0 0 48 48\""));
    CHECK(contains(svg, "</svg>"));
    CHECK_FALSE(contains(svg, "<script"));
    CHECK_FALSE(contains(svg, "href"));
}

TEST_CASE("without a call number the home page offers no call button") {
    Site no_call = site();
    no_call.call_number.clear();
    CHECK_FALSE(contains(render_home(no_call), "tel:"));
}

TEST_CASE("the company name from settings is escaped like any other value") {
    Site hostile = site();
    hostile.company_name = "<script>alert(1)</script> & Co";
    const std::string html = render_home(hostile);
    CHECK_FALSE(contains(html, "<script>alert(1)</script>"));
    CHECK(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
}

TEST_CASE("the empty contact form: labels, input types, the token, the honeypot") {
    FormView view;
    view.csrf_token = "v1.token";
    const std::string html = render_contact(site(), view);
    CHECK(contains(html, "<label for=\"phone\">Mobile number</label>"));
    CHECK(contains(html, "type=\"tel\""));
    CHECK(contains(html, "type=\"email\""));
    CHECK(contains(html, "<textarea id=\"message\" name=\"message\""));
    CHECK(contains(html, "name=\"csrf_token\" value=\"v1.token\""));
    CHECK(contains(html, "name=\"website_check\""));
    CHECK(contains(html, "aria-hidden=\"true\"><label for=\"website_check\">"));
    CHECK_FALSE(contains(html, "aria-invalid"));
    CHECK_FALSE(contains(html, "role=\"alert\""));
}

TEST_CASE("errors sit next to their field, tied to it for screen readers, input kept") {
    FormView view;
    view.input = {"Ann", "ann@example.com", "12", "Hello there"};
    view.errors = {{"phone", "Enter a mobile number we can text."}};
    view.csrf_token = "v1.fresh";
    const std::string html = render_contact(site(), view);
    CHECK(contains(html, "role=\"alert\""));
    CHECK(contains(html, "<a href=\"#phone\">Enter a mobile number we can text.</a>"));
    CHECK(contains(html, "<p class=\"error\" id=\"phone-error\">"));
    CHECK(contains(
        html, "aria-describedby=\"phone-hint phone-error\" aria-invalid=\"true\" value=\"12\""));
    CHECK(contains(html, "value=\"ann@example.com\""));
    CHECK(contains(html, ">Hello there</textarea>"));
    CHECK(contains(html, "<title>Error: Contact us"));
    // Only the field with the error is marked invalid.
    CHECK(html.find("aria-invalid") == html.rfind("aria-invalid"));
}

TEST_CASE("hostile input is shown escaped in every field") {
    FormView view;
    const std::string attack = "\"><script>alert(1)</script>";
    view.input = {attack, attack, attack, "</textarea><script>alert(2)</script>"};
    view.errors = {{"phone", "bad"}};
    const std::string html = render_contact(site(), view);
    CHECK_FALSE(contains(html, "<script>"));
    CHECK_FALSE(contains(html, "</textarea><script>"));
    CHECK(contains(html, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
    CHECK(contains(html, "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>"));
}

TEST_CASE("a notice explains a form refused as a whole") {
    FormView view;
    view.notice = "This form expired.";
    const std::string html = render_contact(site(), view);
    CHECK(contains(html, "class=\"notice\" role=\"alert\""));
    CHECK(contains(html, "This form expired."));
}

TEST_CASE("the confirmation page says we will text back") {
    const std::string html = render_thanks(site());
    CHECK(contains(html, "We got your message and will text you shortly."));
    CHECK(contains(html, "(208) 555-0100"));
}

TEST_CASE("problem pages escape what they are given") {
    const std::string html = render_problem(site(), "Too <many>", "Wait & retry");
    CHECK(contains(html, "<h1>Too &lt;many&gt;</h1>"));
    CHECK(contains(html, "Wait &amp; retry"));
}

TEST_CASE("numbers are shown the way people write them") {
    CHECK(display_number("+12085550100") == "(208) 555-0100");
    CHECK(display_number("+447911123456") == "+44 7911 123456");
    CHECK(display_number("nonsense") == "nonsense");
}
