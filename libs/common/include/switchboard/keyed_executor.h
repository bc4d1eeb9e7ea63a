#pragma once
// Runs tasks in order per key and different keys side by side on a small pool: a slow provider
// call (a 429 storm on one room, a slow Session API answer for one customer) does not stall
// everybody else, yet one key's tasks never overtake each other.
// A barrier task runs alone: after every task submitted before it has finished, and before any
// task submitted after it starts (spark-gateway's directory listing must see every room created
// before it).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sb {

class KeyedExecutor {
  public:
    using Task = std::function<void()>;
    // `name` only labels the log line of a task that throws.
    KeyedExecutor(int threads, std::string name);
    ~KeyedExecutor();  // stop() and join()
    KeyedExecutor(const KeyedExecutor&) = delete;
    KeyedExecutor& operator=(const KeyedExecutor&) = delete;

    // False once stopping: the task will not run.
    bool submit(const std::string& key, Task task);
    bool submit_barrier(Task task);
    // Stops taking and starting tasks without waiting: queued ones are dropped (their events
    // stay pending in the journal and come back after a restart), running ones finish. Safe to
    // call more than once.
    void stop();
    // Waits for the running tasks: call after stop(), and after cancelling what they wait on,
    // or a task stuck in a retry holds shutdown up.
    void join();
    size_t queued() const;

  private:
    struct Held {
        bool barrier = false;
        std::string key;
        Task task;
    };

    void run();
    void enqueue(const std::string& key, Task task);  // mutex_ held
    bool barrier_can_start() const;                   // mutex_ held
    void release_held();                              // mutex_ held

    const std::string name_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::map<std::string, std::deque<Task>> queues_;
    std::deque<std::string> runnable_;  // keys with work and nobody running them
    std::set<std::string> busy_;
    size_t in_flight_ = 0;         // keyed tasks queued or running
    std::optional<Task> barrier_;  // waiting for in_flight_ to drain, or running
    bool barrier_running_ = false;
    std::deque<Held> held_;  // submitted while a barrier was pending or running
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace sb
