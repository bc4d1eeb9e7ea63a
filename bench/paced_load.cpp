#include "paced_load.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "bench_util.h"

namespace sb::bench {

LoadResult run_paced(int port, const std::vector<Request>& requests, double rate, int connections) {
    using Clock = std::chrono::steady_clock;
    LoadResult result;
    result.sent.resize(requests.size());
    const auto origin = Clock::now() + std::chrono::milliseconds(20);
    const auto due = [&](size_t index) {
        if (rate <= 0) return origin;
        return origin + std::chrono::microseconds(
                            static_cast<long long>(static_cast<double>(index) * 1e6 / rate));
    };
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(connections));
    for (int lane = 0; lane < connections; ++lane) {
        workers.emplace_back([&, lane] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            // The instrument must not add Nagle/delayed-ACK stalls of its own (README).
            client.set_tcp_nodelay(true);
            client.set_connection_timeout(2, 0);
            client.set_read_timeout(30, 0);
            for (size_t index = static_cast<size_t>(lane); index < requests.size();
                 index += static_cast<size_t>(connections)) {
                std::this_thread::sleep_until(due(index));
                Sent& sent = result.sent[index];
                sent.start_us = wall_us();
                const auto begin = Clock::now();
                const Request& request = requests[index];
                const httplib::Headers headers(request.headers.begin(), request.headers.end());
                const auto answer = client.Post(request.path.c_str(), headers, request.body,
                                                request.content_type.c_str());
                sent.answer_ms =
                    std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
                sent.status = answer ? answer->status : 0;
            }
        });
    }
    for (auto& worker : workers) worker.join();
    if (result.sent.empty()) return result;
    long long first = result.sent.front().start_us, last_start = first, last_end = first;
    for (const Sent& sent : result.sent) {
        first = std::min(first, sent.start_us);
        last_start = std::max(last_start, sent.start_us);
        last_end =
            std::max(last_end, sent.start_us + static_cast<long long>(sent.answer_ms * 1000));
        if (sent.status < 200 || sent.status >= 300) ++result.failures;
    }
    result.seconds = static_cast<double>(last_end - first) / 1e6;
    const double span = static_cast<double>(last_start - first) / 1e6;
    result.offered_per_second = span > 0 ? static_cast<double>(result.sent.size() - 1) / span : 0.0;
    return result;
}

}  // namespace sb::bench
