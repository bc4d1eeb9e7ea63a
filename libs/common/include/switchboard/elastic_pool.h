#pragma once
// A pool of threads that grows with demand up to a cap and shrinks when idle: the HTTP edge's
// handlers run here. A job waits in the queue only while `max_threads` jobs are running.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace sb {

class ElasticPool {
  public:
    explicit ElasticPool(size_t max_threads,
                         std::chrono::milliseconds idle_before_exit = std::chrono::seconds(10));
    ~ElasticPool();  // shutdown()
    ElasticPool(const ElasticPool&) = delete;
    ElasticPool& operator=(const ElasticPool&) = delete;

    // Runs `job` on an idle thread, a new one while fewer than max_threads exist, or queues it.
    // A job must not throw (one that does is swallowed: no exception escapes a pool thread).
    void submit(std::function<void()> job);
    // Runs what is queued, then joins every thread. submit() after this runs nothing.
    void shutdown();

    size_t threads() const;
    size_t max_threads() const { return max_threads_; }

  private:
    void work();
    void join_retired(std::unique_lock<std::mutex>& lock);

    const size_t max_threads_;
    const std::chrono::milliseconds idle_before_exit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    std::list<std::thread> threads_;
    std::list<std::thread::id> retired_;  // exited (or exiting) threads still to be joined
    size_t idle_ = 0;
    size_t running_threads_ = 0;
    bool stopping_ = false;
};

}  // namespace sb
