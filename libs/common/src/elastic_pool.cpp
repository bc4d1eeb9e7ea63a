#include "switchboard/elastic_pool.h"

#include <algorithm>
#include <exception>

#include "switchboard/thread_guard.h"

namespace sb {

ElasticPool::ElasticPool(size_t max_threads, std::chrono::milliseconds idle_before_exit)
    : max_threads_(std::max<size_t>(1, max_threads)), idle_before_exit_(idle_before_exit) {}

ElasticPool::~ElasticPool() {
    shutdown();
}

void ElasticPool::submit(std::function<void()> job) {
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    join_retired(lock);
    jobs_.push_back(std::move(job));
    if (idle_ >= jobs_.size()) {
        wake_.notify_one();
    } else if (running_threads_ < max_threads_) {
        ++running_threads_;
        threads_.emplace_back([this] { work(); });
    }
}

void ElasticPool::shutdown() {
    std::list<std::thread> all;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        all.swap(threads_);
        retired_.clear();
    }
    wake_.notify_all();
    for (std::thread& thread : all) {
        if (thread.joinable()) thread.join();
    }
}

size_t ElasticPool::threads() const {
    std::lock_guard lock(mutex_);
    return running_threads_;
}

void ElasticPool::join_retired(std::unique_lock<std::mutex>& lock) {
    if (retired_.empty()) return;
    std::list<std::thread> finished;
    for (const std::thread::id id : retired_) {
        const auto found = std::find_if(threads_.begin(), threads_.end(),
                                        [id](const std::thread& t) { return t.get_id() == id; });
        if (found != threads_.end()) finished.splice(finished.end(), threads_, found);
    }
    retired_.clear();
    lock.unlock();
    for (std::thread& thread : finished) thread.join();  // each has left work(), or is leaving
    lock.lock();
}

void ElasticPool::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_;
        const bool woken =
            wake_.wait_for(lock, idle_before_exit_, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) {
            if (stopping_ || !woken) {
                // Idle too long (or stopping): leave; whoever submits next joins this thread.
                --running_threads_;
                if (!stopping_) retired_.push_back(std::this_thread::get_id());
                return;
            }
            continue;
        }
        std::function<void()> job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        try {
            job();
        } catch (const std::exception& error) {
            note_caught_exception("http handler pool", error.what());
        } catch (...) {
            note_caught_exception("http handler pool", "unknown exception");
        }
        job = nullptr;  // a job's captures (a connection) are released outside the lock too
        lock.lock();
    }
}

}  // namespace sb
