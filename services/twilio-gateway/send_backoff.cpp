#include "send_backoff.h"

#include <algorithm>
#include <cctype>

namespace sb::twilio_gateway {

std::chrono::milliseconds retry_delay(int retry, const std::string& retry_after,
                                      const SendBackoff& backoff) {
    if (!retry_after.empty() && retry_after.size() <= 9 &&
        std::all_of(retry_after.begin(), retry_after.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        const std::chrono::milliseconds asked = std::chrono::seconds(std::stol(retry_after));
        return std::max(backoff.first, std::min(asked, backoff.max_retry_after));
    }
    std::chrono::milliseconds wait = backoff.first;
    for (int i = 1; i < retry && wait < backoff.max; ++i) wait *= 2;
    return std::min(wait, backoff.max);
}

}  // namespace sb::twilio_gateway
