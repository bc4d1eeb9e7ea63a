#include "pages.h"

#include "page_template.h"
#include "phone_display.h"
#include "site_assets.h"

namespace sb::web {
namespace {

// A number to show and to dial ({{number}}, {{shown}}), or false when the setting is empty.
TemplateData phone_number(const std::string& number) {
    if (number.empty()) return TemplateData(false);
    TemplateData data;
    data.set("number", number);
    data.set("shown", display_number(number));
    return data;
}

// What every template may use: the company and its numbers.
TemplateData site_data(const Site& site) {
    TemplateData data;
    data.set("company", site.company_name);
    data.set("sms", phone_number(site.sms_number));
    data.set("call", phone_number(site.call_number));
    return data;
}

std::string layout(const Site& site, std::string_view title, const std::string& hero,
                   const std::string& main_html) {
    TemplateData data = site_data(site);
    data.set("title", std::string(title));
    data.set("favicon", path::favicon);
    // Phone first: one column, 18px text, 48px+ tap targets; wider screens only get more margin.
    data.set("stylesheet", std::string(site_asset("site.css")));
    data.set("hero", hero);
    data.set("main", main_html);
    return render_template("layout.html", data);
}

// One form field: label, hint, the error right above the input, and the ARIA that ties them
// together so a screen reader reads the error when the field gets focus.
struct FieldSpec {
    const char* name;
    const char* label;
    bool optional;
    const char* hint;
    const char* input_attributes;  // type, autocomplete, ...: markup, never a value from outside
    bool multiline;
};

TemplateData field_data(const FieldSpec& spec, const std::string& value, const std::string& error) {
    const std::string id = spec.name;
    std::string described_by;
    if (spec.hint[0] != '\0') described_by = id + "-hint";
    if (!error.empty()) described_by += (described_by.empty() ? "" : " ") + id + "-error";
    TemplateData data;
    data.set("id", id);
    data.set("label", spec.label);
    data.set("optional", spec.optional);
    data.set("hint", text_or_false(spec.hint));
    data.set("error", text_or_false(error));
    data.set("attributes", spec.input_attributes);
    data.set("described_by", text_or_false(described_by));
    data.set("multiline", spec.multiline);
    data.set("value", value);
    return data;
}

std::string error_text_for(const std::vector<FieldError>& errors, const char* name) {
    for (const FieldError& error : errors) {
        if (error.field == name) return error.message;
    }
    return {};
}

TemplateData error_summary(const std::vector<FieldError>& errors) {
    if (errors.empty()) return TemplateData(false);
    TemplateList list;
    for (const FieldError& error : errors) {
        TemplateData item;
        item.set("field", error.field);
        item.set("message", error.message);
        list.push_back(item);
    }
    TemplateData summary;
    summary.set("summary", errors.size() == 1
                               ? std::string("There is a problem")
                               : "There are " + std::to_string(errors.size()) + " problems");
    summary.set("list", list);
    return summary;
}

}  // namespace

std::string render_home(const Site& site) {
    const TemplateData data = site_data(site);
    return layout(site, "Contact us by text, phone or web", render_template("home_hero.html", data),
                  render_template("home.html", data));
}

std::string render_contact(const Site& site, const FormView& view) {
    const FieldSpec specs[] = {
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
    TemplateList fields;
    for (std::size_t i = 0; i < std::size(specs); ++i) {
        fields.push_back(
            field_data(specs[i], values[i], error_text_for(view.errors, specs[i].name)));
    }

    TemplateData data = site_data(site);
    data.set("errors", error_summary(view.errors));
    // A notice explains a form refused as a whole; with field errors the summary says enough.
    data.set("notice", text_or_false(view.errors.empty() ? view.notice : ""));
    data.set("csrf_field", field::csrf);
    data.set("csrf_token", view.csrf_token);
    data.set("fields", fields);
    // The honeypot: off-screen and hidden from assistive technology, so a person never fills
    // it in; a bot that fills every field does.
    data.set("honeypot", field::honeypot);
    const std::string title = view.errors.empty() ? "Contact us" : "Error: Contact us";
    return layout(site, title, "", render_template("contact.html", data));
}

std::string render_thanks(const Site& site) {
    return layout(site, "Message sent", "", render_template("thanks.html", site_data(site)));
}

std::string render_problem(const Site& site, std::string_view title, std::string_view detail) {
    TemplateData data = site_data(site);
    data.set("title", std::string(title));
    data.set("detail", std::string(detail));
    return layout(site, title, "", render_template("problem.html", data));
}

std::string_view favicon_svg() {
    return site_asset("favicon.svg");
}

}  // namespace sb::web
