#pragma once
// Slowloris: many connections that each send a request a byte a second and never finish it.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "raw_client.h"

namespace sb::testing {

class SlowClients {
  public:
    // Opens `count` connections to 127.0.0.1:port. Half send a request line and then trickle
    // header bytes; the other half send a whole head announcing a 1000-byte body and trickle
    // that. Each gets one more byte a second (which reset cpp-httplib's read timeout every time).
    SlowClients(int port, int count, const std::string& path = "/healthz");
    ~SlowClients();  // stops trickling and closes every connection
    SlowClients(const SlowClients&) = delete;
    SlowClients& operator=(const SlowClients&) = delete;

    // How many the server has not closed.
    size_t open() const;
    // Waits until every connection has been sent `rounds` more bytes since it opened.
    bool wait_rounds(int rounds, std::chrono::milliseconds timeout);

  private:
    void trickle();

    std::vector<std::unique_ptr<RawConnection>> connections_;
    std::vector<bool> alive_;
    mutable std::mutex mutex_;
    std::condition_variable stop_signal_;
    std::condition_variable round_done_;
    int rounds_ = 0;
    bool stopping_ = false;
    std::thread trickler_;
};

}  // namespace sb::testing
