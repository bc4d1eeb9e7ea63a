#pragma once
// The MMS pictures the gateway holds for Webex to fetch: each under an unguessable token (32
// random bytes, hex) in DATA_DIR/twilio-media/, with its content type and name, on disk before
// the message that names it is published, and gone after the keep time. Thread-safe: every
// entry is its own pair of files, written to a temporary name and renamed.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

namespace sb::twilio_gateway {

class MediaStore {
  public:
    MediaStore(std::filesystem::path dir, std::chrono::seconds keep);

    static std::filesystem::path dir_for(const std::string& data_dir);
    // A token is 64 lowercase hex digits; anything else names nothing.
    static bool is_token(const std::string& token);

    // Stores `bytes` (synced to disk) and returns its token. Throws std::runtime_error when the
    // disk refuses.
    std::string put(const std::string& bytes, const std::string& content_type,
                    const std::string& name);

    struct Held {
        std::string bytes;
        std::string content_type;
        std::string name;
    };
    // Nothing for a malformed, unknown or expired token.
    std::optional<Held> get(const std::string& token) const;

    // Deletes what is past its keep time; returns how many entries went. put() also sweeps, at
    // most once an hour.
    std::size_t sweep();

  private:
    void sweep_now_and_then();

    std::filesystem::path dir_;
    std::chrono::seconds keep_;
    std::mutex sweep_mutex_;
    std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace sb::twilio_gateway
