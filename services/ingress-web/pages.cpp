#include "pages.h"

#include "phone_display.h"
#include "site_style.h"
#include "switchboard/text.h"

namespace sb::web {
namespace {

std::string esc(std::string_view text) {
    return html_escape(text);
}

constexpr std::string_view kChatIcon =
    R"(<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z"/></svg>)";
constexpr std::string_view kPhoneIcon =
    R"(<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.6a1 1 0 0 1-.25 1Z"/></svg>)";
constexpr std::string_view kFormIcon =
    R"(<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3 5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2Zm4 3v2h10V8Zm0 4v2h10v-2Zm0 4v2h6v-2Z"/></svg>)";
constexpr std::string_view kCheckIcon =
    R"(<svg viewBox="0 0 48 48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="22" fill="currentColor"/><path d="m14 24.5 7 7 13-14" fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round"/></svg>)";

std::string layout(const Site& site, std::string_view title, std::string_view hero,
                   std::string_view main_html) {
    std::string page;
    page.reserve(16 * 1024);
    page += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    page += "<title>" + esc(title) + " · " + esc(site.company_name) + "</title>\n";
    page +=
        "<link rel=\"icon\" href=\"" + std::string(path::favicon) + "\" type=\"image/svg+xml\">\n";
    page += "<style>";
    page += site_stylesheet();
    page += "</style>\n</head>\n<body>\n";
    page += "<a class=\"skip\" href=\"#main\">Skip to content</a>\n";
    page += "<header class=\"site-header\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">";
    page += logo_svg();
    page += "<span>" + esc(site.company_name) + "</span></a>";
    page += "<nav aria-label=\"Main\"><a href=\"/contact/\">Contact us</a></nav></div></header>\n";
    page += hero;
    page += "<main id=\"main\"><div class=\"wrap\">\n";
    page += main_html;
    page += "</div></main>\n<footer class=\"site-footer\"><div class=\"wrap\">";
    if (!site.sms_number.empty()) {
        page += "<p>Text us: <a href=\"sms:" + esc(site.sms_number) + "\">" +
                esc(display_number(site.sms_number)) + "</a></p>";
    }
    if (!site.call_number.empty()) {
        page += "<p>Call us: <a href=\"tel:" + esc(site.call_number) + "\">" +
                esc(display_number(site.call_number)) + "</a></p>";
    }
    page += "<p>&copy; " + esc(site.company_name) + "</p></div></footer>\n</body>\n</html>\n";
    return page;
}

// One form field: label, hint, the error right above the input, and the ARIA that ties them
// together so a screen reader reads the error when the field gets focus.
struct FieldSpec {
    const char* name;
    const char* label;
    bool optional;
    const char* hint;
    const char* input_attributes;  // type, autocomplete, ...
    bool multiline;
};

std::string render_field(const FieldSpec& spec, const std::string& value,
                         const std::string& error) {
    const std::string id = spec.name;
    std::string described_by;
    std::string html =
        "<div class=\"field" + std::string(error.empty() ? "" : " has-error") + "\">\n";
    html += "<label for=\"" + id + "\">" + esc(spec.label);
    if (spec.optional) html += " <span class=\"optional\">(optional)</span>";
    html += "</label>\n";
    if (spec.hint[0] != '\0') {
        html += "<p class=\"hint\" id=\"" + id + "-hint\">" + esc(spec.hint) + "</p>\n";
        described_by = id + "-hint";
    }
    if (!error.empty()) {
        html += "<p class=\"error\" id=\"" + id +
                "-error\"><span class=\"visually-hidden\">Error:</span> " + esc(error) + "</p>\n";
        described_by += (described_by.empty() ? "" : " ") + id + "-error";
    }
    std::string attributes = "id=\"" + id + "\" name=\"" + id + "\" " + spec.input_attributes;
    if (!described_by.empty()) attributes += " aria-describedby=\"" + described_by + "\"";
    if (!error.empty()) attributes += " aria-invalid=\"true\"";
    if (spec.multiline) {
        html += "<textarea " + attributes + ">" + esc(value) + "</textarea>\n";
    } else {
        html += "<input " + attributes + " value=\"" + esc(value) + "\">\n";
    }
    html += "</div>\n";
    return html;
}

std::string error_text_for(const std::vector<FieldError>& errors, const char* name) {
    for (const FieldError& error : errors) {
        if (error.field == name) return error.message;
    }
    return {};
}

}  // namespace

std::string render_home(const Site& site) {
    const std::string hero =
        "<section class=\"hero\"><div class=\"wrap\"><h1>Talk to a real person at " +
        esc(site.company_name) +
        "</h1><p>Questions about an order, a product or your account? Our "
        "team answers by text message, so you can carry on with your day.</p>"
        "</div></section>\n";
    std::string body =
        "<h2 class=\"visually-hidden\">Ways to reach us</h2>\n<ul class=\"cards\">\n";
    if (!site.sms_number.empty()) {
        body += "<li class=\"card\"><h2>";
        body += kChatIcon;
        body +=
            "Text us</h2><p>Send a text from your phone. No app, no sign-up.</p>"
            "<p class=\"number\">" +
            esc(display_number(site.sms_number)) +
            "</p>"
            "<a class=\"button\" href=\"sms:" +
            esc(site.sms_number) + "\">Text " + esc(display_number(site.sms_number)) +
            "</a></li>\n";
    }
    if (!site.call_number.empty()) {
        body += "<li class=\"card\"><h2>";
        body += kPhoneIcon;
        body +=
            "Call us</h2><p>Rather talk it through? Our customer service team picks up.</p>"
            "<p class=\"number\">" +
            esc(display_number(site.call_number)) +
            "</p>"
            "<a class=\"button secondary\" href=\"tel:" +
            esc(site.call_number) + "\">Call " + esc(display_number(site.call_number)) +
            "</a></li>\n";
    }
    body += "<li class=\"card wide\"><h2>";
    body += kFormIcon;
    body +=
        "Write to us</h2><p>Leave a message here and we will reply by text message.</p>"
        "<a class=\"button\" href=\"/contact/\">Open the contact form</a></li>\n</ul>\n";
    body +=
        "<h2 style=\"margin-top:2rem\">How it works</h2>\n<ol class=\"steps\">"
        "<li>Text us, or send the form with your mobile number.</li>"
        "<li>One of our team picks up your message and sees your whole history with us.</li>"
        "<li>Our answers come to your phone by text. Reply to keep the conversation going.</li>"
        "</ol>\n";
    return layout(site, "Contact us by text, phone or web", hero, body);
}

std::string render_contact(const Site& site, const FormView& view) {
    std::string body =
        "<h1>Contact us</h1>\n<p class=\"lead\">Tell us what you need. We will "
        "reply by text message to your mobile number.</p>\n";
    if (!view.errors.empty()) {
        const std::size_t count = view.errors.size();
        body +=
            "<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
            "aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">"
            "There " +
            std::string(count == 1 ? "is a problem"
                                   : "are " + std::to_string(count) + " problems") +
            "</h2><ul>";
        for (const FieldError& error : view.errors) {
            body += "<li><a href=\"#" + esc(error.field) + "\">" + esc(error.message) + "</a></li>";
        }
        body += "</ul></div>\n";
    } else if (!view.notice.empty()) {
        body += "<div class=\"notice\" role=\"alert\"><p style=\"margin:0\">" + esc(view.notice) +
                "</p></div>\n";
    }

    body += "<form method=\"post\" action=\"/contact/\" novalidate accept-charset=\"utf-8\">\n";
    body += "<input type=\"hidden\" name=\"" + std::string(field::csrf) + "\" value=\"" +
            esc(view.csrf_token) + "\">\n";
    const std::string message_limit = "maxlength=\"" + std::to_string(kMaxMessageChars) + "\"";
    const FieldSpec fields[] = {
        {field::name, "Your name", true, "",
         "type=\"text\" autocomplete=\"name\" maxlength=\"100\"", false},
        {field::phone, "Mobile number", false, "We will text you back at this number.",
         "type=\"tel\" autocomplete=\"tel\" inputmode=\"tel\" required aria-required=\"true\"",
         false},
        {field::email, "Email", true, "In case we need to send you something longer.",
         "type=\"email\" autocomplete=\"email\" inputmode=\"email\" spellcheck=\"false\"", false},
        {field::message, "Your message", false, "Up to 2,000 characters.",
         "rows=\"6\" required aria-required=\"true\"", true},
    };
    const std::string values[] = {view.input.name, view.input.phone, view.input.email,
                                  view.input.message};
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        body += render_field(fields[i], values[i], error_text_for(view.errors, fields[i].name));
    }
    // The honeypot: off-screen and hidden from assistive technology, so a person never fills
    // it in; a bot that fills every field does.
    body += "<div class=\"trap\" aria-hidden=\"true\"><label for=\"" +
            std::string(field::honeypot) +
            "\">Leave this field empty</label><input type=\"text\" id=\"" +
            std::string(field::honeypot) + "\" name=\"" + std::string(field::honeypot) +
            "\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>\n";
    body += "<button class=\"button\" type=\"submit\">Send message</button>\n</form>\n";
    if (!site.sms_number.empty()) {
        body += "<p class=\"aside\">Prefer to text? Send a message to <a href=\"sms:" +
                esc(site.sms_number) + "\">" + esc(display_number(site.sms_number)) + "</a>.</p>\n";
    }
    const std::string title = view.errors.empty() ? "Contact us" : "Error: Contact us";
    return layout(site, title, "", body);
}

std::string render_thanks(const Site& site) {
    std::string body = "<div class=\"done\">";
    body += kCheckIcon;
    body +=
        "<h1>Thank you!</h1><p class=\"lead\">We got your message and will text you shortly.</p>";
    if (!site.sms_number.empty()) {
        body += "<p>Our replies come from <strong>" + esc(display_number(site.sms_number)) +
                "</strong>. Save it, so you know it's us.</p>";
    }
    body += "<a class=\"button secondary\" href=\"/\">Back to the home page</a></div>\n";
    return layout(site, "Message sent", "", body);
}

std::string render_problem(const Site& site, std::string_view title, std::string_view detail) {
    std::string body = "<h1>" + esc(title) + "</h1>\n<p class=\"lead\">" + esc(detail) + "</p>\n";
    body += "<a class=\"button\" href=\"/contact/\">Back to the contact form</a>\n";
    return layout(site, title, "", body);
}

}  // namespace sb::web
