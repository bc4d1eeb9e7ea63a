#pragma once
// The pages' templates are Mustache files under assets/, rendered with Debian's
// libkainjow-mustache-dev: "{{name}}" becomes the value HTML-escaped with sb::html_escape,
// "{{&name}}" markup that code assembled from other templates and assets (never a value from
// outside), and "{{#name}}…{{/name}}" shows its part when `name` is true, an object (whose
// members it can then use) or a non-empty list (once per item). In the templates a section
// opens at the start of its first line and closes at the start of the line after it
// ("{{#sms}}<p>…</p>\n{{/sms}}<next line>"): on lines of their own, a skipped section leaves a
// blank line with this library.
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace sb::web {

using TemplateData = kainjow::mustache::data;
using TemplateList = kainjow::mustache::list;

// `text`, or false when it is empty: the library counts "" as true, so a section switched by
// an optional value needs this.
TemplateData text_or_false(std::string_view text);

// Renders assets/<asset_name>. Throws std::logic_error when the template does not parse.
std::string render_template(std::string_view asset_name, const TemplateData& data);

}  // namespace sb::web
