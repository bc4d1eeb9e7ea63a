#pragma once
// Agents' files as customers fetch them: stored under DATA_DIR/files (the volume replicas share,
// so any replica serves what another fetched), each behind an unguessable token (256 random
// bits) that expires. What the customer gets is the file, its own type and its name; never the
// Webex URL, never the token that fetched it.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "switchboard/clocks.h"

namespace sb::spark_gateway {

struct StoredFile {
    std::string content_type;
    std::string name;
    WallClock::time_point expires;
    std::string bytes;
};

// What GET /api/files/<token> answers: the file, or why not (404: no such token, never was or
// already swept; 410: it was here and its link has expired).
struct FileLookup {
    int status = 404;
    std::optional<StoredFile> file;
};

class FileStore {
  public:
    FileStore(std::filesystem::path directory, std::chrono::seconds ttl);

    // Stores the bytes and returns the token of its link. Throws std::runtime_error when the
    // disk refuses (the caller turns that into a note, like any file not passed on).
    std::string put(std::string_view bytes, std::string_view content_type, std::string_view name,
                    WallClock::time_point now);
    FileLookup get(std::string_view token, WallClock::time_point now) const;
    // Deletes every expired file; returns how many. Cheap enough to run once a minute.
    size_t sweep(WallClock::time_point now);

    std::chrono::seconds ttl() const { return ttl_; }

  private:
    std::filesystem::path directory_;
    std::chrono::seconds ttl_;
};

// A token as put() makes them: 64 lowercase hex digits. Anything else is not looked up (no
// path ever reaches the file system from outside).
bool is_file_token(std::string_view token);

// Content-Type to serve: the file's own when it is a plausible `type/subtype[; params]`, else
// application/octet-stream.
std::string served_content_type(std::string_view content_type);

// Content-Disposition with the file's name (RFC 6266): `inline` for pictures a phone shows,
// `attachment` for everything else; a quoted ASCII fallback (quotes, backslashes, control and
// non-ASCII bytes replaced) and `filename*=UTF-8''…` percent-encoded, both without any path.
std::string content_disposition(std::string_view name, std::string_view content_type);

}  // namespace sb::spark_gateway
