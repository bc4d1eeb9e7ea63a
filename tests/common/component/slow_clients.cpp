#include "slow_clients.h"

namespace sb::testing {

SlowClients::SlowClients(int port, int count, const std::string& path) {
    for (int i = 0; i < count; ++i) {
        auto connection = std::make_unique<RawConnection>(port);
        if (i % 2 == 0) {
            connection->send("GET " + path + " HTTP/1.1\r\nHost: slow\r\n");
        } else {
            connection->send("POST " + path +
                             " HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\n"
                             "Content-Length: 1000\r\n\r\n{");
        }
        connections_.push_back(std::move(connection));
        alive_.push_back(true);
    }
    trickler_ = std::thread([this] { trickle(); });
}

SlowClients::~SlowClients() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_signal_.notify_all();
    trickler_.join();
}

size_t SlowClients::open() const {
    std::lock_guard lock(mutex_);
    size_t count = 0;
    for (const bool alive : alive_) count += alive;
    return count;
}

bool SlowClients::wait_rounds(int rounds, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return round_done_.wait_for(lock, timeout, [&] { return rounds_ >= rounds; });
}

void SlowClients::trickle() {
    std::unique_lock lock(mutex_);
    // The pace of the attack, not a wait for anything: one byte per connection per second.
    while (!stop_signal_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
        for (size_t i = 0; i < connections_.size(); ++i) {
            if (alive_[i]) alive_[i] = connections_[i]->send(i % 2 == 0 ? "X" : " ");
        }
        ++rounds_;
        round_done_.notify_all();
    }
}

}  // namespace sb::testing
