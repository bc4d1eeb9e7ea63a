#pragma once
// The sandbox fetching a posted file's URL as Webex does: one GET (redirects followed), bounded
// in time and size. Only loopback URLs (message_files.h): the sandbox reaches nothing else.
#include <cstddef>
#include <string>

namespace sb::sandbox::spark {

struct Fetched {
    bool ok = false;
    std::string error;  // why not, for the 400
    std::string content_type;
    std::string filename;
    std::string bytes;
};

Fetched fetch_content(const std::string& url, size_t max_bytes);

}  // namespace sb::sandbox::spark
