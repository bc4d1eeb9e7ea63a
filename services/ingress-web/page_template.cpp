#include "page_template.h"

#include <stdexcept>

#include "site_assets.h"
#include "switchboard/text.h"

namespace sb::web {

TemplateData text_or_false(std::string_view text) {
    return text.empty() ? TemplateData(false) : TemplateData(std::string(text));
}

std::string render_template(std::string_view asset_name, const TemplateData& data) {
    // Parsed per render: the library's templates are not safe to share between threads, and a
    // page's templates parse in microseconds.
    kainjow::mustache::mustache page{std::string(site_asset(asset_name))};
    if (!page.is_valid()) {
        throw std::logic_error(std::string(asset_name) + ": " + page.error_message());
    }
    page.set_custom_escape([](const std::string& text) { return html_escape(text); });
    return page.render(data);
}

}  // namespace sb::web
