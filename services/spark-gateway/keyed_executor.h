#pragma once
// Runs tasks in order per key and different keys side by side on a small pool: a 429 storm on
// one customer's room does not stall everybody else, yet one room's commands never overtake.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sb::spark_gateway {

class KeyedExecutor {
public:
    using Task = std::function<void()>;
    explicit KeyedExecutor(int threads);
    ~KeyedExecutor();
    KeyedExecutor(const KeyedExecutor&) = delete;
    KeyedExecutor& operator=(const KeyedExecutor&) = delete;

    void submit(const std::string& key, Task task);
    // Stops taking tasks; running ones finish, queued ones are dropped (their events stay
    // pending in the journal and come back after a restart).
    void stop();
    size_t queued() const;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::map<std::string, std::deque<Task>> queues_;
    std::deque<std::string> runnable_;  // keys with work and nobody running them
    std::set<std::string> busy_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sb::spark_gateway
