#include "csrf.h"

#include <stdexcept>
#include <vector>

#include "switchboard/crypto.h"
#include "switchboard/ids.h"

namespace sb::web {
namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::size_t kIdLength = 32;
constexpr std::size_t kMacLength = 64;
constexpr std::size_t kMaxExpiryDigits = 12;

bool all_of(std::string_view text, bool (*predicate)(char)) {
    if (text.empty()) return false;
    for (const char c : text) {
        if (!predicate(c)) return false;
    }
    return true;
}
bool is_lower_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

std::string_view to_string(CsrfCheck check) {
    switch (check) {
        case CsrfCheck::ok:
            return "ok";
        case CsrfCheck::missing:
            return "csrf_missing";
        case CsrfCheck::malformed:
            return "csrf_malformed";
        case CsrfCheck::forged:
            return "csrf_forged";
        case CsrfCheck::expired:
            return "csrf_expired";
        case CsrfCheck::replayed:
            return "csrf_replayed";
        case CsrfCheck::busy:
            return "csrf_busy";
    }
    return "csrf_unknown";
}

CsrfTokens::CsrfTokens(std::string secret, std::chrono::seconds lifetime, std::size_t max_spent)
    : secret_(std::move(secret)), lifetime_(lifetime), max_spent_(max_spent) {
    if (secret_.empty()) throw std::invalid_argument("CSRF secret must not be empty");
}

std::string CsrfTokens::sign(std::string_view signed_part) const {
    return crypto::hmac_sha256_hex(secret_, signed_part);
}

std::string CsrfTokens::issue(std::int64_t now_unix_seconds) {
    const std::string signed_part = std::string(kVersion) + "." + new_id() + "." +
                                    std::to_string(now_unix_seconds + lifetime_.count());
    return signed_part + "." + sign(signed_part);
}

CsrfCheck CsrfTokens::consume(std::string_view token, std::int64_t now_unix_seconds) {
    if (token.empty()) return CsrfCheck::missing;

    // Split into exactly four dot-separated parts.
    std::vector<std::string_view> parts;
    std::string_view rest = token;
    while (parts.size() < 5) {
        const std::size_t dot = rest.find('.');
        parts.push_back(rest.substr(0, dot));
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    if (parts.size() != 4 || parts[0] != kVersion || parts[1].size() != kIdLength ||
        !all_of(parts[1], is_lower_hex) || parts[2].size() > kMaxExpiryDigits ||
        !all_of(parts[2], is_digit) || parts[3].size() != kMacLength) {
        return CsrfCheck::malformed;
    }

    const std::string_view signed_part = token.substr(0, token.size() - kMacLength - 1);
    const std::string expected = sign(signed_part);
    // Constant time: how much of a guessed signature matched must not show in the timing.
    if (!crypto::constant_time_equals(expected, parts[3])) {
        return CsrfCheck::forged;
    }
    const std::int64_t expiry = std::stoll(std::string(parts[2]));
    if (now_unix_seconds > expiry) return CsrfCheck::expired;

    std::lock_guard lock(mutex_);
    std::string id(parts[1]);
    if (spent_.count(id) != 0) return CsrfCheck::replayed;
    forget_expired(now_unix_seconds);
    if (spent_.size() >= max_spent_) return CsrfCheck::busy;
    spent_by_expiry_.emplace(expiry, id);
    spent_.insert(std::move(id));
    return CsrfCheck::ok;
}

void CsrfTokens::forget_expired(std::int64_t now) {
    // An expired token is refused as expired, so its id need not be remembered any longer.
    while (!spent_by_expiry_.empty() && spent_by_expiry_.begin()->first < now) {
        spent_.erase(spent_by_expiry_.begin()->second);
        spent_by_expiry_.erase(spent_by_expiry_.begin());
    }
}

std::size_t CsrfTokens::spent_count() const {
    std::lock_guard lock(mutex_);
    return spent_.size();
}

std::string random_secret() {
    return crypto::random_hex(32);
}

}  // namespace sb::web
