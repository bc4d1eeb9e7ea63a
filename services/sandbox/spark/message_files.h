#pragma once
// Webex's rules for a file posted by URL (`files: ["https://…"]` on POST /messages), as pure
// functions: one URL per message, a web URL, fetched by the sandbox as Webex fetches it (only on
// loopback here: the sandbox reaches nothing else), stored, and shown in the message as
// `{public}/v1/contents/{id}`. The fetch itself is content_fetcher.h.
#include <optional>
#include <string>
#include <string_view>

#include "reply.h"

namespace sb::sandbox::spark {

// What a POST /messages body asks for: no file, one URL, or a 400 saying why not.
struct FileAsked {
    std::optional<std::string> url;
    std::optional<Reply> error;
};
FileAsked file_asked(const json& body);

// Whether the sandbox may fetch `url`: http(s) on a loopback host (127.0.0.1, localhost, [::1]).
bool fetchable(std::string_view url);

// Webex's 400 for a file it could not fetch; `why` says what went wrong.
Reply fetch_failed(const std::string& why);

// The file's name: Content-Disposition's filename when given, else the URL path's last
// segment, else "file". Never with quotes, slashes or control characters.
std::string file_name_for(std::string_view url, std::string_view content_disposition);

// Content-Disposition for the stored file.
std::string attachment_disposition(const std::string& filename);

// Where a stored content is fetched: `{public_base}/v1/contents/{id}`.
std::string content_url(const std::string& public_base, const std::string& content_id);
// The content id a URL of ours names, or nothing.
std::optional<std::string> content_id_in(std::string_view url);

}  // namespace sb::sandbox::spark
