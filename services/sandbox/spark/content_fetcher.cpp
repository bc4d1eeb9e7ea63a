#include "content_fetcher.h"

#include <httplib.h>

#include "message_files.h"

namespace sb::sandbox::spark {
namespace {

constexpr int kTimeoutSeconds = 10;

}  // namespace

Fetched fetch_content(const std::string& url, size_t max_bytes) {
    Fetched fetched;
    if (!fetchable(url)) {
        fetched.error = "the sandbox fetches only loopback URLs";
        return fetched;
    }
    const size_t scheme_end = url.find("://");
    const size_t path_start = url.find('/', scheme_end + 3);
    const std::string origin = url.substr(0, path_start);
    const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
    try {
        httplib::Client client(origin);
        if (!client.is_valid()) {
            fetched.error = "cannot reach " + origin;
            return fetched;
        }
        client.set_connection_timeout(kTimeoutSeconds);
        client.set_read_timeout(kTimeoutSeconds);
        client.set_follow_location(true);
        bool too_big = false;
        std::string bytes;
        auto result = client.Get(path, [&](const char* data, size_t length) {
            if (bytes.size() + length > max_bytes) {
                too_big = true;
                return false;
            }
            bytes.append(data, length);
            return true;
        });
        if (too_big) {
            fetched.error = "the file is larger than " + std::to_string(max_bytes) + " bytes";
            return fetched;
        }
        if (!result) {
            fetched.error = "GET failed: " + httplib::to_string(result.error());
            return fetched;
        }
        if (result->status < 200 || result->status > 299) {
            fetched.error = "GET answered " + std::to_string(result->status);
            return fetched;
        }
        fetched.ok = true;
        fetched.content_type = result->get_header_value("Content-Type");
        if (fetched.content_type.empty()) fetched.content_type = "application/octet-stream";
        fetched.filename = file_name_for(url, result->get_header_value("Content-Disposition"));
        fetched.bytes = std::move(bytes);
    } catch (const std::exception& error) {
        fetched.error = std::string("GET failed: ") + error.what();
    }
    return fetched;
}

}  // namespace sb::sandbox::spark
