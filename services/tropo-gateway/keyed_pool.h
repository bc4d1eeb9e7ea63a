#pragma once
// A small pool that runs tasks in order per key and different keys side by side: one customer's
// SMS segments never overtake each other, yet a slow Session API call for one customer does not
// hold up everybody else. (spark-gateway has a richer KeyedExecutor with barriers; tropo-gateway
// needs none, and that one is not in libs/common.)
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sb::tropo_gateway {

class KeyedPool {
public:
    using Task = std::function<void()>;
    explicit KeyedPool(int threads);
    ~KeyedPool();
    KeyedPool(const KeyedPool&) = delete;
    KeyedPool& operator=(const KeyedPool&) = delete;

    // False once stopping: the task will not run.
    bool submit(const std::string& key, Task task);
    // Stops taking and starting tasks without waiting: queued ones are dropped (their events
    // stay pending in the journal), running ones finish. Safe to call more than once.
    void stop();
    // Waits for the running tasks (call after stop(), and after cancelling what they wait on).
    void join();
    size_t queued() const;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::map<std::string, std::deque<Task>> queues_;
    std::deque<std::string> runnable_;  // keys with work and no thread running them
    std::set<std::string> busy_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sb::tropo_gateway
