#include "message_files.h"

namespace sb::sandbox::spark {
namespace {

constexpr std::string_view kContentsPath = "/v1/contents/";

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// The host of an http(s) URL ("127.0.0.1", "localhost", "[::1]"), without port and userinfo.
std::string_view host_of(std::string_view url) {
    const size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    std::string_view rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (rest.find('@') != std::string_view::npos) return {};  // no credentials in the URL
    if (starts_with(rest, "[")) return rest.substr(0, rest.find(']') + 1);
    return rest.substr(0, rest.find(':'));
}

std::string safe_name(std::string_view name) {
    std::string out;
    for (const char c : name.substr(0, 200)) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '/' || c == '\\' || u < 0x20 || u == 0x7F) continue;
        out += c;
    }
    return out;
}

}  // namespace

FileAsked file_asked(const json& body) {
    FileAsked asked;
    if (!body.contains("files") || body["files"].is_null()) return asked;
    const json& files = body["files"];
    if (!files.is_array() || files.empty()) {
        asked.error = fail(400, "files must be an array with one URL.");
        return asked;
    }
    if (files.size() > 1) {
        asked.error = fail(400, "Only one file may be attached to a message.");
        return asked;
    }
    if (!files[0].is_string()) {
        asked.error = fail(400, "files must be an array with one URL.");
        return asked;
    }
    const std::string url = files[0].get<std::string>();
    if (!starts_with(url, "http://") && !starts_with(url, "https://")) {
        asked.error = fetch_failed("files must be http or https URLs");
        return asked;
    }
    asked.url = url;
    return asked;
}

bool fetchable(std::string_view url) {
    if (!starts_with(url, "http://") && !starts_with(url, "https://")) return false;
    const std::string_view host = host_of(url);
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

Reply fetch_failed(const std::string& why) {
    return fail(400, "Unable to retrieve content from the URL provided (" + why + ").");
}

std::string file_name_for(std::string_view url, std::string_view content_disposition) {
    const size_t at = content_disposition.find("filename=");
    if (at != std::string_view::npos) {
        std::string_view name = content_disposition.substr(at + 9);
        if (starts_with(name, "\"")) {
            name.remove_prefix(1);
            name = name.substr(0, name.find('"'));
        } else {
            name = name.substr(0, name.find(';'));
        }
        std::string safe = safe_name(name);
        if (!safe.empty()) return safe;
    }
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    const size_t scheme_end = path.find("://");
    if (scheme_end != std::string_view::npos) path.remove_prefix(scheme_end + 3);
    const size_t slash = path.rfind('/');
    std::string safe = slash == std::string_view::npos ? "" : safe_name(path.substr(slash + 1));
    return safe.empty() ? "file" : safe;
}

std::string attachment_disposition(const std::string& filename) {
    return "attachment; filename=\"" + safe_name(filename) + "\"";
}

std::string content_url(const std::string& public_base, const std::string& content_id) {
    return public_base + std::string(kContentsPath) + content_id;
}

std::optional<std::string> content_id_in(std::string_view url) {
    const size_t at = url.find(kContentsPath);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view id = url.substr(at + kContentsPath.size());
    if (id.empty() || id.find('/') != std::string_view::npos) return std::nullopt;
    return std::string(id);
}

}  // namespace sb::sandbox::spark
