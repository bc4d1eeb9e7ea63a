#include "media_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "switchboard/crypto.h"

namespace sb::twilio_gateway {
namespace {

namespace fs = std::filesystem;

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void sync_fd_of(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it");
    const int synced = ::fsync(fd);
    ::close(fd);
    if (synced != 0) throw std::runtime_error("cannot sync " + path.string());
}

// Writes `bytes` to `path` so that a crash leaves either nothing or the whole file.
void write_durably(const fs::path& path, const std::string& bytes) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    sync_fd_of(temporary, O_RDONLY);
    fs::rename(temporary, path);
}

std::optional<std::string> read_all(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return std::nullopt;
    std::string bytes;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0) {
            ::close(fd);
            return std::nullopt;
        }
        if (got == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    return bytes;
}

std::string text_field(const nlohmann::json& meta, const char* name, const char* fallback) {
    const auto found = meta.find(name);
    if (found == meta.end() || !found->is_string()) return fallback;
    return found->get<std::string>();
}

}  // namespace

MediaStore::MediaStore(fs::path dir, std::chrono::seconds keep)
    : dir_(std::move(dir)), keep_(keep) {
    fs::create_directories(dir_);
}

fs::path MediaStore::dir_for(const std::string& data_dir) {
    return fs::path(data_dir) / "twilio-media";
}

bool MediaStore::is_token(const std::string& token) {
    if (token.size() != 64) return false;
    for (const char c : token) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string MediaStore::put(const std::string& bytes, const std::string& content_type,
                            const std::string& name) {
    sweep_now_and_then();
    std::string token = crypto::random_hex(32);
    write_durably(dir_ / (token + ".data"), bytes);
    // The metadata last: an entry without it is not served, and is swept.
    const nlohmann::json meta = {
        {"content_type", content_type}, {"name", name}, {"stored_at", now_seconds()}};
    write_durably(dir_ / (token + ".meta"), meta.dump());
    sync_fd_of(dir_, O_RDONLY | O_DIRECTORY);
    return token;
}

std::optional<MediaStore::Held> MediaStore::get(const std::string& token) const {
    if (!is_token(token)) return std::nullopt;
    const auto meta_text = read_all(dir_ / (token + ".meta"));
    if (!meta_text) return std::nullopt;
    const nlohmann::json meta = nlohmann::json::parse(*meta_text, nullptr, false);
    if (!meta.is_object()) return std::nullopt;
    const auto stored_at = meta.find("stored_at");
    if (stored_at == meta.end() || !stored_at->is_number_integer()) return std::nullopt;
    if (now_seconds() - stored_at->get<std::int64_t>() >= keep_.count()) {
        return std::nullopt;  // expired: gone for Webex too, even before the sweep
    }
    auto bytes = read_all(dir_ / (token + ".data"));
    if (!bytes) return std::nullopt;
    Held held;
    held.bytes = std::move(*bytes);
    held.content_type = text_field(meta, "content_type", "application/octet-stream");
    held.name = text_field(meta, "name", "");
    return held;
}

void MediaStore::sweep_now_and_then() {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(sweep_mutex_);
        if (last_sweep_ != std::chrono::steady_clock::time_point{} &&
            now - last_sweep_ < std::chrono::hours(1)) {
            return;
        }
        last_sweep_ = now;
    }
    sweep();
}

std::size_t MediaStore::sweep() {
    std::size_t removed = 0;
    std::error_code error;
    const auto cutoff = fs::file_time_type::clock::now() - keep_;
    for (const auto& entry : fs::directory_iterator(dir_, error)) {
        const fs::path& path = entry.path();
        if (path.extension() != ".meta" && path.extension() != ".data" &&
            path.extension() != ".tmp") {
            continue;
        }
        const auto written = fs::last_write_time(path, error);
        if (error || written > cutoff) continue;
        if (fs::remove(path, error) && path.extension() == ".meta") ++removed;
    }
    return removed;
}

}  // namespace sb::twilio_gateway
