#pragma once
// Fetching an MMS picture from Twilio: HTTP Basic (sid:token or the API key) to Twilio's own
// origin, redirects followed (Twilio answers 302 to its CDN) without the credentials when they
// lead to another origin, a size cap, a deadline, and only content types agents may open.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace sb::twilio_gateway {

// image/* (except SVG, which can carry script), PDF, plain text, vCard, and the audio and video
// types phones send; parameters (";charset=…") ignored, case-insensitive.
bool allowed_media_type(std::string_view content_type);
// "image/jpeg; x" -> "image/jpeg".
std::string bare_media_type(std::string_view content_type);
// A file name for the room: "picture-1.jpg", "attachment-2.pdf".
std::string media_file_name(std::string_view content_type, int index);

struct MediaFetchOptions {
    std::string user;  // Basic auth, sent only to the MediaUrl's own origin
    std::string password;
    std::size_t max_bytes = 5u << 20;
    std::chrono::steady_clock::time_point deadline;
    int max_redirects = 5;
};

struct FetchedMedia {
    std::string result;  // "ok" or why not: too_large, bad_type, http_error, network, redirects
    std::string bytes;
    std::string content_type;  // bare
    std::string detail;        // for the log (never a credential)
    bool ok() const { return result == "ok"; }
};

FetchedMedia fetch_media(const std::string& url, const MediaFetchOptions& options);

}  // namespace sb::twilio_gateway
