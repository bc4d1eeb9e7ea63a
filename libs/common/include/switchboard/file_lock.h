#pragma once
// An open-file-description lock (fcntl F_OFD_SETLK, a write lock on the whole file): held by one
// open file at a time, released when it is closed or its process dies in any way. The ownership
// and fence of partitions and slots (README, "Partitions and replicas"): the kernel is the lock
// manager, nothing here decides who wins.
#include <filesystem>
#include <optional>

namespace sb {

class FileLock {
  public:
    // Creates the file (and its folder) if needed; nullopt when somebody else holds the lock.
    // Other failures (no such folder can be made, no permission) throw with the path.
    static std::optional<FileLock> try_take(const std::filesystem::path& path);
    // Whether any open file holds the lock, this process's included; false for a missing file.
    static bool is_held(const std::filesystem::path& path);

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    const std::filesystem::path& path() const { return path_; }

  private:
    FileLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace sb
