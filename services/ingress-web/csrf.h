#pragma once
// Single-use form tokens. A token is "v1.<id>.<expiry>.<HMAC-SHA256(secret, "v1.<id>.<expiry>")>",
// so the server keeps nothing per page view; it remembers only the ids already spent, until they
// expire, so a replayed token is refused. The clock is passed in, so tests control time.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace sb::web {

enum class CsrfCheck {
    ok,
    missing,    // no token at all
    malformed,  // not shaped like one of ours
    forged,     // the signature does not match
    expired,
    replayed,  // already spent
    busy,      // too many live spent ids to remember one more: refused rather than forgotten
};
std::string_view to_string(CsrfCheck check);

class CsrfTokens {
  public:
    // `secret` signs tokens; `lifetime` is how long a rendered form stays usable; at most
    // `max_spent` unexpired spent ids are remembered.
    CsrfTokens(std::string secret, std::chrono::seconds lifetime, std::size_t max_spent = 100000);

    std::string issue(std::int64_t now_unix_seconds);
    // Checks the token and, when it is good, spends it. Thread-safe.
    CsrfCheck consume(std::string_view token, std::int64_t now_unix_seconds);

    std::size_t spent_count() const;

  private:
    std::string sign(std::string_view signed_part) const;
    void forget_expired(std::int64_t now);

    std::string secret_;
    std::chrono::seconds lifetime_;
    std::size_t max_spent_;
    mutable std::mutex mutex_;
    std::unordered_set<std::string> spent_;
    std::set<std::pair<std::int64_t, std::string>> spent_by_expiry_;
};

// 32 random bytes as hex, from OpenSSL's CSPRNG: the secret when none is configured.
std::string random_secret();

}  // namespace sb::web
