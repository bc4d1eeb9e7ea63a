#pragma once
// A small Prometheus registry: counters the code increments and gauges read on scrape.
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace sb {

using Labels = std::map<std::string, std::string>;

class Counter {
  public:
    void add(std::uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

class Metrics {
  public:
    explicit Metrics(std::string prefix = "switchboard");

    // The same name and labels always give back the same counter.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    void gauge(const std::string& name, const std::string& help, std::function<double()> read,
               const Labels& labels = {});

    // Prometheus text exposition format 0.0.4.
    std::string render() const;

  private:
    struct Family {
        std::string help;
        std::string type;
        std::map<std::string, Counter*> counters;               // by rendered labels
        std::map<std::string, std::function<double()>> gauges;  // by rendered labels
    };
    std::string prefix_;
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
    std::deque<Counter> storage_;  // deque: growing it never moves a Counter
};

// Escapes a label value as the exposition format requires.
std::string escape_label_value(const std::string& value);

}  // namespace sb
