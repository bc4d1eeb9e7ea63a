#include "keyed_executor.h"

#include <spdlog/spdlog.h>

namespace sb::spark_gateway {

KeyedExecutor::KeyedExecutor(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

KeyedExecutor::~KeyedExecutor() { stop(); }

void KeyedExecutor::submit(const std::string& key, Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        auto& queue = queues_[key];
        queue.push_back(std::move(task));
        if (queue.size() == 1 && !busy_.count(key)) runnable_.push_back(key);
    }
    ready_.notify_one();
}

void KeyedExecutor::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    threads_.clear();
}

size_t KeyedExecutor::queued() const {
    std::lock_guard lock(mutex_);
    size_t total = 0;
    for (const auto& [key, queue] : queues_) total += queue.size();
    return total;
}

void KeyedExecutor::run() {
    while (true) {
        std::string key;
        Task task;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !runnable_.empty(); });
            if (stopping_) return;
            key = runnable_.front();
            runnable_.pop_front();
            auto& queue = queues_[key];
            task = std::move(queue.front());
            queue.pop_front();
            busy_.insert(key);
        }
        try {
            task();
        } catch (const std::exception& error) {
            spdlog::error("task for key {} failed: {}", key, error.what());
        }
        {
            std::lock_guard lock(mutex_);
            busy_.erase(key);
            auto found = queues_.find(key);
            if (found != queues_.end() && !found->second.empty()) {
                runnable_.push_back(key);
            } else if (found != queues_.end()) {
                queues_.erase(found);
            }
        }
        ready_.notify_one();
    }
}

}  // namespace sb::spark_gateway
