#include "media_fetch.h"

#include <httplib.h>

#include <cstdint>
#include <optional>

#include "switchboard/text.h"

namespace sb::twilio_gateway {
namespace {

constexpr const char* kCaBundle = "/etc/ssl/certs/ca-certificates.crt";

struct Target {
    std::string origin;  // scheme://host[:port]
    std::string path;    // path and query, at least "/"
};

std::optional<Target> split_target(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return std::nullopt;
    const std::string scheme = to_lower(url.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https") return std::nullopt;
    const auto path_start = url.find_first_of("/?", scheme_end + 3);
    Target target;
    target.origin = url.substr(0, path_start);
    if (target.origin.size() <= scheme_end + 3) return std::nullopt;
    target.path = path_start == std::string::npos ? "/" : url.substr(path_start);
    if (target.path.front() == '?') target.path = "/" + target.path;
    target.path = target.path.substr(0, target.path.find('#'));
    return target;
}

// A Location header resolved against the origin it came from.
std::optional<Target> resolve(const Target& from, const std::string& location) {
    if (location.empty()) return std::nullopt;
    if (location.find("://") != std::string::npos) return split_target(location);
    if (location.rfind("//", 0) == 0) {
        return split_target(from.origin.substr(0, from.origin.find("://") + 1) + location);
    }
    if (location.front() == '/') return Target{from.origin, location};
    return std::nullopt;  // a relative path: Twilio never sends one
}

// Content-Length as a number; 0 when absent or not plain digits (the receiver still caps).
std::size_t declared_length(const std::string& text) {
    if (text.empty() || text.size() > 18) return text.empty() ? 0 : SIZE_MAX;
    std::size_t length = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return 0;
        length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    return length;
}

FetchedMedia failure(std::string result, std::string detail) {
    FetchedMedia fetched;
    fetched.result = std::move(result);
    fetched.detail = std::move(detail);
    return fetched;
}

// The fetch itself, hop by hop (below fetch_media, which keeps its exceptions in).
FetchedMedia fetch_hops(const std::string& url, const MediaFetchOptions& options);

}  // namespace

std::string bare_media_type(std::string_view content_type) {
    return to_lower(trim(content_type.substr(0, content_type.find(';'))));
}

bool allowed_media_type(std::string_view content_type) {
    const std::string type = bare_media_type(content_type);
    if (type.rfind("image/", 0) == 0) return type != "image/svg+xml" && type.size() > 6;
    return type == "application/pdf" || type == "text/plain" || type == "text/vcard" ||
           type == "text/x-vcard" || type == "audio/mpeg" || type == "audio/mp4" ||
           type == "audio/amr" || type == "audio/ogg" || type == "video/mp4" ||
           type == "video/3gpp" || type == "video/quicktime";
}

std::string media_file_name(std::string_view content_type, int index) {
    const std::string type = bare_media_type(content_type);
    const std::string subtype = type.substr(type.find('/') + 1);
    std::string extension;
    if (subtype == "jpeg" || subtype == "jpg" || subtype == "pjpeg") {
        extension = "jpg";
    } else if (subtype == "x-vcard" || subtype == "vcard") {
        extension = "vcf";
    } else if (subtype == "plain") {
        extension = "txt";
    } else if (subtype == "mpeg") {
        extension = "mp3";
    } else if (subtype == "quicktime") {
        extension = "mov";
    } else if (subtype == "3gpp") {
        extension = "3gp";
    } else {
        for (const char c : subtype) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) extension += c;
        }
    }
    const bool picture = type.rfind("image/", 0) == 0;
    return std::string(picture ? "picture-" : "attachment-") + std::to_string(index + 1) +
           (extension.empty() ? "" : "." + extension);
}

FetchedMedia fetch_media(const std::string& url, const MediaFetchOptions& options) {
    // A URL httplib cannot take apart (a port out of range, say) throws inside it; that is a
    // picture not fetched, never an error of the whole webhook.
    try {
        return fetch_hops(url, options);
    } catch (const std::exception& error) {
        return failure("network", std::string("unusable media URL: ") + error.what());
    }
}

namespace {

FetchedMedia fetch_hops(const std::string& url, const MediaFetchOptions& options) {
    auto target = split_target(url);
    if (!target) return failure("network", "MediaUrl is no http(s) URL");
    const std::string twilio_origin = target->origin;
    for (int hop = 0; hop <= options.max_redirects; ++hop) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            options.deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return failure("network", "out of time");
        httplib::Client client(target->origin);
        client.set_connection_timeout(std::chrono::duration_cast<std::chrono::seconds>(left) +
                                      std::chrono::seconds(1));
        client.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(left) +
                                std::chrono::seconds(1));
        client.set_follow_location(false);  // each hop decides whether the credentials go along
        if (target->origin.rfind("https://", 0) == 0) {
            // Twilio and its CDN are reached over HTTPS with their certificates checked, against
            // the system's bundle as ApiClient does.
            client.set_ca_cert_path(kCaBundle);
            client.enable_server_certificate_verification(true);
        }
        if (target->origin == twilio_origin) client.set_basic_auth(options.user, options.password);

        int status = 0;
        std::string location;
        std::string content_type;
        std::string refused;  // why the transfer was cut short
        std::string bytes;
        const auto answer = client.Get(
            target->path, httplib::Headers{},
            [&](const httplib::Response& response) {
                status = response.status;
                location = response.get_header_value("Location");
                content_type = bare_media_type(response.get_header_value("Content-Type"));
                if (status != 200) return true;  // a redirect's or error's small body
                if (!allowed_media_type(content_type)) {
                    refused = "bad_type";
                    return false;
                }
                const std::string length = response.get_header_value("Content-Length");
                if (declared_length(length) > options.max_bytes) {
                    refused = "too_large";
                    return false;
                }
                return true;
            },
            [&](const char* data, std::size_t size) {
                if (std::chrono::steady_clock::now() > options.deadline) {
                    refused = "network";
                    return false;
                }
                if (status == 200 && bytes.size() + size > options.max_bytes) {
                    refused = "too_large";
                    return false;
                }
                if (status == 200 || bytes.size() < 4096) bytes.append(data, size);
                return true;
            });
        if (!refused.empty()) {
            return failure(refused, refused == "bad_type" ? "content type " + content_type
                                                          : "over the size cap or out of time");
        }
        if (!answer) return failure("network", httplib::to_string(answer.error()));
        if (status >= 300 && status < 400) {
            const auto next = resolve(*target, location);
            if (!next) return failure("http_error", "a redirect without a usable Location");
            target = next;
            continue;
        }
        if (status != 200) return failure("http_error", "HTTP " + std::to_string(status));
        FetchedMedia fetched;
        fetched.result = "ok";
        fetched.bytes = std::move(bytes);
        fetched.content_type = content_type;
        return fetched;
    }
    return failure("redirects", "too many redirects");
}

}  // namespace

}  // namespace sb::twilio_gateway
