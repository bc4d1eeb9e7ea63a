#include "keyed_pool.h"

#include <spdlog/spdlog.h>

namespace sb::tropo_gateway {

KeyedPool::KeyedPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

KeyedPool::~KeyedPool() {
    stop();
    join();
}

bool KeyedPool::submit(const std::string& key, Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        auto& queue = queues_[key];
        queue.push_back(std::move(task));
        // A key being run is put back on runnable_ by its thread when that task ends.
        if (queue.size() == 1 && !busy_.count(key)) runnable_.push_back(key);
    }
    ready_.notify_one();
    return true;
}

void KeyedPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
}

void KeyedPool::join() {
    for (std::thread& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
}

size_t KeyedPool::queued() const {
    std::lock_guard lock(mutex_);
    size_t total = 0;
    for (const auto& [key, queue] : queues_) total += queue.size();
    return total;
}

void KeyedPool::run() {
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
            spdlog::error("sms: a send task failed: {}", error.what());
        }
        bool more = false;
        {
            std::lock_guard lock(mutex_);
            busy_.erase(key);
            const auto found = queues_.find(key);
            if (found != queues_.end() && !found->second.empty()) {
                runnable_.push_back(key);
                more = true;
            } else if (found != queues_.end()) {
                queues_.erase(found);
            }
        }
        if (more) ready_.notify_one();
    }
}

}  // namespace sb::tropo_gateway
