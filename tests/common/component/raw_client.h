#pragma once
// A bare TCP client for talking to an HTTP edge byte by byte: what a slow, idle or malformed
// client sends, which httplib::Client cannot.
#include <chrono>
#include <string>

namespace sb::testing {

class RawConnection {
  public:
    explicit RawConnection(int port);  // connects to 127.0.0.1:port; throws when it cannot
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool send(const std::string& bytes);  // false once the server has closed it
    // Everything the server sends until it closes the connection or `timeout` passes.
    std::string read_until_closed(std::chrono::milliseconds timeout);
    // True when the server closed the connection within `timeout` (what it sent is in *answer).
    bool closed_within(std::chrono::milliseconds timeout, std::string* answer = nullptr);

  private:
    int fd_ = -1;
    bool closed_ = false;
};

}  // namespace sb::testing
