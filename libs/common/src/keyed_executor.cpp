#include "switchboard/keyed_executor.h"

#include <spdlog/spdlog.h>

#include "switchboard/thread_guard.h"

namespace sb {

KeyedExecutor::KeyedExecutor(int threads, std::string name) : name_(std::move(name)) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

KeyedExecutor::~KeyedExecutor() {
    stop();
    join();
}

void KeyedExecutor::enqueue(const std::string& key, Task task) {
    auto& queue = queues_[key];
    queue.push_back(std::move(task));
    ++in_flight_;
    // A key being run is put back on runnable_ by its thread when that task ends.
    if (queue.size() == 1 && !busy_.count(key)) runnable_.push_back(key);
}

bool KeyedExecutor::barrier_can_start() const {
    return barrier_ && !barrier_running_ && in_flight_ == 0;
}

void KeyedExecutor::release_held() {
    // Replays what arrived during the barrier, in order, up to the next barrier.
    while (!held_.empty() && !barrier_) {
        Held next = std::move(held_.front());
        held_.pop_front();
        if (next.barrier)
            barrier_ = std::move(next.task);
        else
            enqueue(next.key, std::move(next.task));
    }
}

bool KeyedExecutor::submit(const std::string& key, Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (barrier_) {
            held_.push_back(Held{false, key, std::move(task)});
            return true;
        }
        enqueue(key, std::move(task));
    }
    ready_.notify_one();
    return true;
}

bool KeyedExecutor::submit_barrier(Task task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        if (barrier_) {
            held_.push_back(Held{true, {}, std::move(task)});
            return true;
        }
        barrier_ = std::move(task);
    }
    ready_.notify_all();
    return true;
}

void KeyedExecutor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
}

void KeyedExecutor::join() {
    for (std::thread& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
}

size_t KeyedExecutor::queued() const {
    std::lock_guard lock(mutex_);
    size_t total = held_.size() + (barrier_ && !barrier_running_ ? 1 : 0);
    for (const auto& [key, queue] : queues_) total += queue.size();
    return total;
}

void KeyedExecutor::run() {
    while (true) {
        std::string key;
        Task task;
        bool barrier = false;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock,
                        [this] { return stopping_ || !runnable_.empty() || barrier_can_start(); });
            if (stopping_) return;
            if (barrier_can_start()) {
                barrier = true;
                barrier_running_ = true;
                task = *barrier_;
            } else {
                key = runnable_.front();
                runnable_.pop_front();
                auto& queue = queues_[key];
                task = std::move(queue.front());
                queue.pop_front();
                busy_.insert(key);
            }
        }
        // A task's exception stops at the task: logged, counted, and the worker goes on with
        // the next one (the task's own caller decides what a failure means for its key).
        try {
            task();
        } catch (const std::exception& error) {
            note_caught_exception(name_ + ": task for key " + (barrier ? "(barrier)" : key),
                                  error.what());
        } catch (...) {
            note_caught_exception(name_ + ": task for key " + (barrier ? "(barrier)" : key),
                                  "unknown exception");
        }
        {
            std::lock_guard lock(mutex_);
            if (barrier) {
                barrier_.reset();
                barrier_running_ = false;
                release_held();
            } else {
                --in_flight_;
                busy_.erase(key);
                auto found = queues_.find(key);
                if (found != queues_.end() && !found->second.empty()) {
                    runnable_.push_back(key);
                } else if (found != queues_.end()) {
                    queues_.erase(found);
                }
            }
        }
        // Several workers may have become useful at once (held tasks released, or a barrier
        // that was waiting for this last task).
        ready_.notify_all();
    }
}

}  // namespace sb
