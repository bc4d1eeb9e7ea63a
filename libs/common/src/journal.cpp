#include "switchboard/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace sb {
namespace {

std::uint32_t checksum(const std::string& bytes) {
    return static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

void sync_directory(const std::filesystem::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

std::string Journal::frame(const nlohmann::json& record) {
    const std::string body = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%08x ", checksum(body));
    return prefix + body + '\n';
}

Journal::Journal(const std::filesystem::path& path, std::vector<nlohmann::json>& records)
    : path_(path) {
    std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path());
    const auto lock_path = std::filesystem::path(path.string() + ".lock");
    lock_fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) fail("cannot open", lock_path);
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        throw std::runtime_error(path.string() +
                                 " is in use by another process; give each instance its own "
                                 "INSTANCE_ID (or DATA_DIR)");
    }

    std::uint64_t intact_bytes = 0;
    if (std::ifstream in{path, std::ios::binary}; in) {
        std::string line;
        while (std::getline(in, line)) {
            if (in.eof()) break;  // no newline: a torn final write
            if (line.size() < 10 || line[8] != ' ') break;
            const std::string body = line.substr(9);
            std::uint32_t expected = 0;
            // At most 8 hex digits always fit, and the count returned says whether they parsed.
            // NOLINTNEXTLINE(cert-err34-c)
            if (std::sscanf(line.c_str(), "%8x", &expected) != 1 || expected != checksum(body)) {
                break;
            }
            auto record = nlohmann::json::parse(body, nullptr, false);
            if (record.is_discarded()) break;
            records.push_back(std::move(record));
            intact_bytes += line.size() + 1;
        }
    }
    fd_ = ::open(path.c_str(), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot open", path);
    if (::ftruncate(fd_, static_cast<off_t>(intact_bytes)) != 0) fail("cannot truncate", path);
    size_ = intact_bytes;
}

Journal::~Journal() {
    if (fd_ >= 0) {
        try {
            sync(appended_);
        } catch (...) {
        }
        ::close(fd_);
    }
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::uint64_t Journal::append(const nlohmann::json& record) {
    const std::string framed = frame(record);
    std::lock_guard lock(mutex_);
    buffer_ += framed;
    return ++appended_;
}

void Journal::write_all(int fd, const std::string& bytes) {
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write", path_);
        }
        written += static_cast<size_t>(n);
    }
}

void Journal::sync(std::uint64_t position) {
    std::unique_lock lock(mutex_);
    while (durable_ < position) {
        if (flushing_) {
            flushed_.wait(lock);
            continue;
        }
        flushing_ = true;
        std::string batch;
        batch.swap(buffer_);
        const std::uint64_t target = appended_;
        lock.unlock();
        try {
            write_all(fd_, batch);
            if (::fdatasync(fd_) != 0) fail("cannot sync", path_);
        } catch (...) {
            lock.lock();
            flushing_ = false;
            flushed_.notify_all();
            throw;
        }
        lock.lock();
        size_ += batch.size();
        durable_ = std::max(durable_, target);
        flushing_ = false;
        flushed_.notify_all();
    }
}

void Journal::rewrite(const std::vector<nlohmann::json>& records) {
    std::unique_lock lock(mutex_);
    flushed_.wait(lock, [this] { return !flushing_; });
    const auto temporary = std::filesystem::path(path_.string() + ".compact");
    const int fd = ::open(temporary.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot open", temporary);
    std::string content;
    for (const auto& record : records) content += frame(record);
    try {
        write_all(fd, content);
        if (::fsync(fd) != 0) fail("cannot sync", temporary);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path_.c_str()) != 0) fail("cannot replace", path_);
    sync_directory(path_.parent_path().empty() ? "." : path_.parent_path());
    ::close(fd_);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) fail("cannot reopen", path_);
    buffer_.clear();
    durable_ = appended_;
    size_ = content.size();
    flushed_.notify_all();
}

std::uint64_t Journal::durable_position() const {
    std::lock_guard lock(mutex_);
    return durable_;
}

std::uint64_t Journal::size_bytes() const {
    std::lock_guard lock(mutex_);
    return size_ + buffer_.size();
}

}  // namespace sb
