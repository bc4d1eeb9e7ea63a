#pragma once
// An append-only file of JSON records with group commit: many writers append, one fdatasync
// covers them all. Every record carries a CRC so a torn tail after a crash is recognised and cut.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sb {

class Journal {
  public:
    // Opens or creates `path`, takes an exclusive lock on it (a second process using the same
    // file fails here with a clear message), reads every intact record into `records`, and cuts
    // a torn or corrupt tail.
    Journal(const std::filesystem::path& path, std::vector<nlohmann::json>& records);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Buffers a record; returns its position for sync().
    std::uint64_t append(const nlohmann::json& record);
    // Returns once every record up to `position` is on disk. Concurrent callers share one
    // write and one fdatasync.
    void sync(std::uint64_t position);
    // Every record up to this position is on disk.
    std::uint64_t durable_position() const;

    // Atomically replaces the whole file with `records` (compaction). Records appended but not
    // yet synced are dropped: the caller's snapshot already reflects them.
    void rewrite(const std::vector<nlohmann::json>& records);

    std::uint64_t size_bytes() const;
    const std::filesystem::path& path() const { return path_; }

    static std::string frame(const nlohmann::json& record);

  private:
    void write_all(int fd, const std::string& bytes);

    std::filesystem::path path_;
    int fd_ = -1;
    int lock_fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable flushed_;
    std::string buffer_;
    std::uint64_t appended_ = 0;
    std::uint64_t durable_ = 0;
    std::uint64_t size_ = 0;
    bool flushing_ = false;
};

}  // namespace sb
