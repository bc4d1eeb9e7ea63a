#include "file_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "switchboard/attachment_text.h"
#include "switchboard/crypto.h"

namespace sb::spark_gateway {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits: not guessed, not enumerated
constexpr const char* kMeta = ".meta";
constexpr const char* kData = ".data";

long long epoch_seconds(WallClock::time_point at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

// Written whole and durable, then renamed into place: a reader never sees half a file, and a
// crash leaves at worst a .tmp that nothing links to.
void write_durably(const std::filesystem::path& path, std::string_view bytes) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot write " + temporary.string() + ": " +
                                 std::error_code(errno, std::generic_category()).message());
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            throw std::runtime_error("cannot write " + temporary.string() + ": " +
                                     std::error_code(error, std::generic_category()).message());
        }
        written += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) throw std::runtime_error("cannot sync " + temporary.string());
    std::filesystem::rename(temporary, path);
}

std::optional<std::string> read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return std::nullopt;
    const std::streamoff size = in.tellg();
    if (size < 0) return std::nullopt;
    std::string bytes(static_cast<size_t>(size), '\0');
    in.seekg(0);
    if (!in.read(bytes.data(), size)) return std::nullopt;
    return bytes;
}

std::string text_of(const nlohmann::json& meta, const char* key) {
    const auto found = meta.find(key);
    if (found == meta.end() || !found->is_string()) return {};
    return found->get<std::string>();
}

bool token_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// RFC 7230 token characters, for the type and subtype of a Content-Type.
bool mime_token(std::string_view part) {
    if (part.empty()) return false;
    for (const char c : part) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f || std::strchr("()<>@,;:\\\"/[]?={}", c) != nullptr) {
            return false;
        }
    }
    return true;
}

// The last path segment of a name, for both kinds of separator: the name is shown, never used
// as a path, but a browser saving "../../x" should save "x".
std::string_view base_name(std::string_view name) {
    const size_t slash = name.find_last_of("/\\");
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

bool is_file_token(std::string_view token) {
    if (token.size() != kTokenBytes * 2) return false;
    for (const char c : token) {
        if (!token_char(c)) return false;
    }
    return true;
}

std::string served_content_type(std::string_view content_type) {
    const size_t semicolon = content_type.find(';');
    std::string_view type = content_type.substr(0, semicolon);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    const size_t slash = type.find('/');
    if (slash == std::string_view::npos || !mime_token(type.substr(0, slash)) ||
        !mime_token(type.substr(slash + 1))) {
        return "application/octet-stream";
    }
    // Parameters (a charset) are kept only when they hold nothing that could end the header.
    for (const char c : content_type) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::string(type);
    }
    return std::string(content_type);
}

std::string content_disposition(std::string_view name, std::string_view content_type) {
    const std::string_view base = base_name(name);
    std::string fallback;
    std::string encoded;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char c : base) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = byte > 0x20 && byte < 0x7f && c != '"' && c != '\\' && c != '%';
        fallback += plain || c == ' ' ? c : '_';
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || std::strchr("-._~", c) != nullptr;
        if (unreserved) {
            encoded += c;
        } else {
            encoded += '%';
            encoded += kHex[byte >> 4];
            encoded += kHex[byte & 0x0f];
        }
    }
    if (fallback.empty() || fallback == "." || fallback == "..") {
        fallback = "file";
        encoded = "file";
    }
    // Only the pictures a phone shows open in place; anything else (HTML, SVG, PDF) is a
    // download, so a file an agent forwarded never runs as a page of our origin.
    const char* kind = is_mms_picture(content_type) ? "inline" : "attachment";
    return std::string(kind) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

FileStore::FileStore(std::filesystem::path directory, std::chrono::seconds ttl)
    : directory_(std::move(directory)), ttl_(ttl) {}

std::string FileStore::put(std::string_view bytes, std::string_view content_type,
                           std::string_view name, WallClock::time_point now) {
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    if (error) {
        throw std::runtime_error("cannot create " + directory_.string() + ": " + error.message());
    }
    std::string token = crypto::random_hex(kTokenBytes);
    const nlohmann::json meta{{"content_type", std::string(content_type)},
                              {"name", std::string(name)},
                              {"expires", epoch_seconds(now + ttl_)},
                              {"size", bytes.size()}};
    // The data first: a .meta is only ever there for a complete file.
    write_durably(directory_ / (token + kData), bytes);
    write_durably(directory_ / (token + kMeta), meta.dump());
    return token;
}

FileLookup FileStore::get(std::string_view token, WallClock::time_point now) const {
    FileLookup lookup;
    if (!is_file_token(token)) return lookup;
    const std::string base(token);
    const auto meta_text = read_all(directory_ / (base + kMeta));
    if (!meta_text) return lookup;
    const auto meta = nlohmann::json::parse(*meta_text, nullptr, false);
    if (!meta.is_object() || !meta.contains("expires") || !meta["expires"].is_number_integer()) {
        return lookup;
    }
    if (epoch_seconds(now) >= meta["expires"].get<long long>()) {
        lookup.status = 410;
        return lookup;
    }
    auto bytes = read_all(directory_ / (base + kData));
    if (!bytes) return lookup;
    StoredFile file;
    file.content_type = text_of(meta, "content_type");
    file.name = text_of(meta, "name");
    file.expires = WallClock::time_point(std::chrono::seconds(meta["expires"].get<long long>()));
    file.bytes = std::move(*bytes);
    lookup.status = 200;
    lookup.file = std::move(file);
    return lookup;
}

size_t FileStore::sweep(WallClock::time_point now) {
    size_t removed = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
        const std::filesystem::path& path = entry.path();
        if (path.extension() != kMeta) continue;
        const auto meta_text = read_all(path);
        const auto meta =
            meta_text ? nlohmann::json::parse(*meta_text, nullptr, false) : nlohmann::json();
        const bool expired = !meta.is_object() || !meta.contains("expires") ||
                             !meta["expires"].is_number_integer() ||
                             epoch_seconds(now) >= meta["expires"].get<long long>();
        if (!expired) continue;
        std::filesystem::path data = path;
        data.replace_extension(kData);
        std::error_code ignored;
        std::filesystem::remove(path, ignored);  // the .meta first: no reader starts on it now
        std::filesystem::remove(data, ignored);
        ++removed;
    }
    return removed;
}

}  // namespace sb::spark_gateway
